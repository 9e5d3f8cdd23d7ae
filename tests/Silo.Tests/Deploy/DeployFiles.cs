using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Hera.Silo.Tests.Deploy;

/// <summary>
/// Reads the silo command lines out of <c>deploy/</c> and the top-level README: compose services, the systemd
/// unit with its environment file, the Kubernetes Deployment with its ConfigMap and Secret, and the README's
/// <c>dotnet run</c> lines. Variables are replaced by the files' own defaults or by sample values.
/// </summary>
internal static partial class DeployFiles
{
    public static string Root { get; } = FindRoot();

    public static string Read(string relative) => File.ReadAllText(Path.Combine(Root, relative));

    public static YamlMappingNode Yaml(string relative) => (YamlMappingNode)YamlDocuments(relative).Single();

    /// <summary>Every document of a YAML file, with merge keys (<c>&lt;&lt;: *anchor</c>) applied.</summary>
    public static IReadOnlyList<YamlNode> YamlDocuments(string relative)
    {
        var stream = new YamlStream();
        stream.Load(new MergingParser(new Parser(new StringReader(Read(relative)))));
        return [.. stream.Documents.Select(d => d.RootNode)];
    }

    public static YamlNode? Get(this YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out var next))
            {
                return null;
            }

            node = next;
        }

        return node;
    }

    public static string? Text(this YamlNode node, params string[] path) => (node.Get(path) as YamlScalarNode)?.Value;

    public static IEnumerable<YamlNode> Items(this YamlNode node, params string[] path) =>
        node.Get(path) is YamlSequenceNode sequence ? sequence.Children : [];

    /// <summary>Compose interpolation: <c>${NAME:-default}</c> takes its default, <c>${NAME}</c> must be in <paramref name="values"/>.</summary>
    public static string ComposeInterpolate(string text, IReadOnlyDictionary<string, string> values) =>
        ComposeVariable().Replace(text, m => m.Groups["default"].Success ? m.Groups["default"].Value : values[m.Groups["name"].Value]);

    /// <summary>Kubernetes' <c>$(NAME)</c> expansion in <c>args</c>.</summary>
    public static string KubernetesExpand(string text, IReadOnlyDictionary<string, string> env) =>
        KubernetesVariable().Replace(text, m => env.TryGetValue(m.Groups[1].Value, out var value) ? value : throw new KeyNotFoundException($"$({m.Groups[1].Value}) is not in the container's env"));

    /// <summary><c>KEY=VALUE</c> lines; comments and blank lines skipped; one pair of surrounding quotes removed.</summary>
    public static Dictionary<string, string> EnvFile(string relative)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in Read(relative).Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            Assert.True(eq > 0 && EnvName().IsMatch(line[..eq]), $"{relative}: '{line}' is not NAME=VALUE with a name systemd and shells accept");
            var value = line[(eq + 1)..];
            values[line[..eq]] = value.Length >= 2 && value[0] is '"' or '\'' && value[^1] == value[0] ? value[1..^1] : value;
        }

        return values;
    }

    /// <summary>
    /// The value of a systemd directive with backslash continuations joined, split the way systemd splits
    /// <c>ExecStart</c>: on whitespace, where <c>${NAME}</c> becomes exactly one argument.
    /// </summary>
    public static IReadOnlyList<string> SystemdCommand(string unit, string directive, IReadOnlyDictionary<string, string> env)
    {
        var joined = Regex.Replace(unit, @"\\\n\s*", " ");
        var line = joined.Split('\n').Single(l => l.StartsWith(directive + "=", StringComparison.Ordinal));
        return [.. line[(directive.Length + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(word =>
            SystemdVariable().Match(word) is { Success: true } m
                ? env.TryGetValue(m.Groups[1].Value, out var value) ? value : throw new KeyNotFoundException($"${{{m.Groups[1].Value}}} is not in the environment file")
                : word)];
    }

    /// <summary>
    /// A POSIX shell command line split into words: single and double quotes, <c>$NAME</c> and <c>"$NAME"</c>
    /// expanded from <paramref name="env"/> (an unquoted expansion must not contain whitespace), trailing <c>&amp;</c> dropped.
    /// </summary>
    public static IReadOnlyList<string> ShellWords(string command, IReadOnlyDictionary<string, string> env)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < command.Length; i++)
        {
            var c = command[i];
            if (char.IsWhiteSpace(c))
            {
                Flush();
            }
            else if (c == '\'')
            {
                var end = command.IndexOf('\'', i + 1);
                word.Append(command, i + 1, end - i - 1);
                (inWord, i) = (true, end);
            }
            else if (c == '"')
            {
                var end = command.IndexOf('"', i + 1);
                word.Append(ExpandShell(command[(i + 1)..end], env));
                (inWord, i) = (true, end);
            }
            else if (c == '$')
            {
                var name = ShellName().Match(command, i + 1).Value;
                Assert.DoesNotContain(' ', env[name]);
                word.Append(env[name]);
                (inWord, i) = (true, i + name.Length);
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        Flush();
        return words is [.. var rest, "&"] ? rest : words;

        void Flush()
        {
            if (inWord)
            {
                words.Add(word.ToString());
                word.Clear();
                inWord = false;
            }
        }
    }

    private static string ExpandShell(string text, IReadOnlyDictionary<string, string> env) =>
        Regex.Replace(text, @"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?", m => env[m.Groups[1].Value]);

    // Up from the test's output first; builds with an --artifacts-path outside the repository put that elsewhere,
    // so then up from this source file's compile-time location.
    private static string FindRoot([CallerFilePath] string sourceFile = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile) ?? "", Environment.CurrentDirectory })
        {
            for (var dir = start.Length > 0 ? new DirectoryInfo(start) : null; dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "HeraGrains.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException($"no HeraGrains.sln above {AppContext.BaseDirectory} or {sourceFile}");
    }

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(:-(?<default>[^}]*))?\}")]
    private static partial Regex ComposeVariable();

    [GeneratedRegex(@"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex KubernetesVariable();

    [GeneratedRegex(@"^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$")]
    private static partial Regex SystemdVariable();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex EnvName();

    [GeneratedRegex(@"\G[A-Za-z_][A-Za-z0-9_]*")]
    private static partial Regex ShellName();
}
