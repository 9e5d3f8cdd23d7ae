using Hera.Grains.Interfaces.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hera.ClientGateway.Problems;

/// <summary>
/// Turns exceptions that escape an endpoint into problems: <see cref="HeraProblemException"/> as itself, a body
/// over Kestrel's limit as <c>payload_too_large</c>, anything else as <c>internal_error</c> (logged, with no
/// internals leaked). Also gives bare error statuses (unknown route, wrong method) a problem body.
/// </summary>
public static partial class ProblemMiddleware
{
    /// <summary>Installs the exception and status-code handlers. Call first in the pipeline.</summary>
    public static IApplicationBuilder UseHeraProblems(this IApplicationBuilder app)
    {
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context).ConfigureAwait(false);
            }
            catch (HeraProblemException e) when (!context.Response.HasStarted)
            {
                await ProblemWriter.WriteAsync(context, e.Problem, e.Message, e.Extensions).ConfigureAwait(false);
            }
            catch (BadHttpRequestException e) when (!context.Response.HasStarted && e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                await ProblemWriter.WriteAsync(context, ProblemCodes.PayloadTooLarge, e.Message).ConfigureAwait(false);
            }
            catch (System.Data.Common.DbException e) when (!context.Response.HasStarted)
            {
                // The grid store is down or restarting (a cluster's PostgreSQL): nothing was accepted, and the
                // caller should retry; a 500 would read as Hera's own fault.
                await ProblemWriter.WriteAsync(context, ProblemCodes.Unavailable, $"the grid store does not answer ({e.Message}); retry shortly").ConfigureAwait(false);
            }
            catch (Exception e) when (!context.Response.HasStarted && e is not OperationCanceledException)
            {
                var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Hera.ClientGateway");
                LogUnhandled(logger, e, context.Request.Method, context.Request.Path);

                await ProblemWriter.WriteAsync(context, ProblemCodes.Internal, $"an internal error occurred ({e.GetType().Name}); see the silo log").ConfigureAwait(false);
            }
        });

        app.UseStatusCodePages(async statusContext =>
        {
            var context = statusContext.HttpContext;
            var problem = context.Response.StatusCode switch
            {
                StatusCodes.Status404NotFound => ProblemCodes.NotFound,
                StatusCodes.Status405MethodNotAllowed => ProblemCodes.MethodNotAllowed,
                StatusCodes.Status413PayloadTooLarge => ProblemCodes.PayloadTooLarge,
                StatusCodes.Status415UnsupportedMediaType => ProblemCodes.InvalidRequest,
                >= 500 => ProblemCodes.Internal,
                _ => ProblemCodes.InvalidRequest,
            };
            await ProblemWriter.WriteAsync(context, problem, $"{context.Request.Method} {context.Request.Path} answered {context.Response.StatusCode}").ConfigureAwait(false);
        });

        return app;
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "Unhandled error serving {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);
}
