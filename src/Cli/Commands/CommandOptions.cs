using System.CommandLine;

namespace Hera.Cli.Commands;

/// <summary>Options and arguments several commands share, with their validation.</summary>
internal static class CommandOptions
{
    /// <summary>The <c>ID</c> argument naming a job.</summary>
    public static Argument<string> JobId() => new("id") { Description = "Job id (as printed by 'hera submit' or 'hera jobs')." };

    /// <summary>The <c>NAME</c> argument naming a queue.</summary>
    public static Argument<string> QueueName() => new("name") { Description = "Queue name (letters, digits, '-', '_', '.')." };

    /// <summary><c>--wait SECONDS</c>: how long to wait for the job to finish; 0 or absent = do not wait.</summary>
    public static Option<int?> Wait(string description)
    {
        var option = new Option<int?>("--wait", "-w") { Description = description, HelpName = "SECONDS" };
        return NotNegative(option);
    }

    /// <summary>Adds a check that the option's value, when given, is at least 0.</summary>
    public static Option<int?> NotNegative(Option<int?> option)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 0)
            {
                result.AddError($"{result.Option.Name} must be 0 or more");
            }
        });
        return option;
    }

    /// <summary>Adds a check that the option's value, when given, is at least 1.</summary>
    public static Option<int?> Positive(Option<int?> option)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1)
            {
                result.AddError($"{result.Option.Name} must be 1 or more");
            }
        });
        return option;
    }
}
