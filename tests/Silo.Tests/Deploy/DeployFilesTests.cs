using System.Text.RegularExpressions;
using Hera.Silo.Configuration;
using Microsoft.Extensions.Configuration;
using Npgsql;
using YamlDotNet.RepresentationModel;

namespace Hera.Silo.Tests.Deploy;

/// <summary>
/// Keeps <c>deploy/</c> and the README's "Run a cluster" true: every silo they start parses with
/// <see cref="SiloOptions.Parse"/>, uses only flags the silo reads (configuration would drop a misspelt one
/// silently), runs in cluster mode with its own id, and shares one results dir with its fellow silos.
/// </summary>
public sealed partial class DeployFilesTests
{
    private static readonly string[] Silos = ["silo-a", "silo-b", "silo-c"];

    [Fact]
    public void Known_flags_are_exactly_the_keys_silo_options_reads()
    {
        var source = DeployFiles.Read("src/Silo/Configuration/SiloOptions.cs");
        var read = ConfigurationKey().Matches(source).Select(m => m.Groups["key"].Value).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(read.Order(StringComparer.Ordinal), SiloOptions.KnownFlags.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Compose_starts_three_cluster_silos_with_their_own_ids_ports_and_data_and_one_results_volume()
    {
        var compose = DeployFiles.Yaml("deploy/docker-compose.yml");
        var options = new List<SiloOptions>();
        foreach (var name in Silos)
        {
            var service = compose.Get("services", name) ?? throw new Xunit.Sdk.XunitException($"no service {name}");
            var args = service.Items("command").Select(a => DeployFiles.ComposeInterpolate(((YamlScalarNode)a).Value!, new Dictionary<string, string>())).ToList();
            var silo = ParseCluster($"compose {name}", args);
            options.Add(silo);

            Assert.Equal(name, silo.SiloId);
            Assert.Equal($"http://{name}:5080", silo.AdvertiseUrl);
            Assert.Equal("http://0.0.0.0:5080", Flag(args, "urls"));
            AssertPasswordFromEnvironment(silo, service.Text("environment", "PGPASSWORD"));
            Assert.Equal("service_healthy", service.Text("depends_on", "postgres", "condition"));
            Assert.Contains("http://127.0.0.1:5080/healthz", service.Items("healthcheck", "test").Select(t => ((YamlScalarNode)t).Value));
            Assert.Equal([$"127.0.0.1:{5081 + Array.IndexOf(Silos, name)}:5080"], service.Items("ports").Select(p => ((YamlScalarNode)p).Value));

            var mounts = service.Items("volumes").Select(v => ((YamlScalarNode)v).Value!.Split(':')).ToDictionary(v => v[1], v => v[0]);
            Assert.Equal("results", mounts[silo.ResultsDir]);
            Assert.Equal($"data-{name[^1]}", mounts[silo.DataDir]);
        }

        Assert.Equal(3, options.Select(o => o.SiloId).Distinct().Count());
        Assert.Single(options.Select(o => o.ResultsDir).Distinct());
        Assert.Equal("Host=postgres;Port=5432;Database=hera;Username=hera", options[0].StoreConnection);
        Assert.Equal("postgres:15", compose.Text("services", "postgres", "image"));
        Assert.Contains("pg_isready", string.Join(' ', compose.Get("services", "postgres")!.Items("healthcheck", "test").Select(t => ((YamlScalarNode)t).Value)));
        Assert.Matches("clickhouse", compose.Text("services", "clickhouse", "image")!);
        Assert.NotNull(compose.Get("volumes", "results"));
    }

    [Fact]
    public void The_systemd_unit_passes_its_environment_file_as_cluster_flags_inside_its_writable_paths()
    {
        var unit = DeployFiles.Read("deploy/systemd/hera-silo.service");
        var env = DeployFiles.EnvFile("deploy/systemd/hera-silo.env");
        var command = DeployFiles.SystemdCommand(unit, "ExecStart", env);

        Assert.Equal("/opt/hera/silo/Hera.Silo", command[0]);
        var silo = ParseCluster("systemd", command.Skip(1));
        AssertPasswordFromEnvironment(silo, env.GetValueOrDefault("PGPASSWORD"));
        Assert.Equal(env["HERA_SILO_ID"], silo.SiloId);

        // ProtectSystem=strict leaves only these writable: the data and results dirs must be inside them.
        Assert.Contains("ProtectSystem=strict\n", unit);
        var writable = Directive(unit, "ReadWritePaths").Split(' ').Select(p => p.TrimStart('-', '+')).ToList();
        Assert.Contains(writable, w => silo.DataDir.StartsWith(w + "/", StringComparison.Ordinal));
        Assert.Contains(writable, w => silo.ResultsDir == w || silo.ResultsDir.StartsWith(w + "/", StringComparison.Ordinal));
        Assert.Equal("/var/lib/" + Directive(unit, "StateDirectory"), writable[0]);
        foreach (var directive in new[] { "User=hera", "Restart=on-failure", "NoNewPrivileges=yes", "EnvironmentFile=/etc/hera/hera-silo.env" })
        {
            Assert.Contains(directive + "\n", unit);
        }

        Assert.Matches(@"\nLimitNOFILE=\d+\n", unit);
    }

    [Fact]
    public void Kubernetes_replicas_take_their_id_and_address_from_the_pod_and_share_the_results_claim()
    {
        var documents = DeployFiles.YamlDocuments("deploy/k8s/deployment.yaml")
            .Concat(DeployFiles.YamlDocuments("deploy/k8s/configmap.yaml"))
            .Concat(DeployFiles.YamlDocuments("deploy/k8s/secret.example.yaml"))
            .Concat(DeployFiles.YamlDocuments("deploy/k8s/pvc.yaml"))
            .Concat(DeployFiles.YamlDocuments("deploy/k8s/service.yaml"))
            .ToList();
        YamlNode Kind(string kind) => documents.Single(d => d.Text("kind") == kind);
        var deployment = Kind("Deployment");
        var pod = deployment.Get("spec", "template", "spec")!;
        var container = pod.Items("containers").Single();

        Assert.Equal("3", deployment.Text("spec", "replicas"));
        var pods = new[] { ("hera-silo-6d9f7c8b5-2xk4p", "10.42.0.11"), ("hera-silo-6d9f7c8b5-8qz7m", "10.42.1.12"), ("hera-silo-6d9f7c8b5-tn5wd", "10.42.2.13") };
        var options = new List<SiloOptions>();
        foreach (var (name, ip) in pods)
        {
            var silo = ParseCluster($"k8s {name}", PodArgs(container, Kind("ConfigMap"), Kind("Secret"), name, ip, out var env));
            Assert.Equal(name, silo.SiloId);
            Assert.Equal($"http://{ip}:5080", silo.AdvertiseUrl);
            AssertPasswordFromEnvironment(silo, env["PGPASSWORD"]);
            options.Add(silo);
        }

        Assert.Single(options.Select(o => o.ResultsDir).Distinct());

        // The results dir is the ReadWriteMany claim; the probes and the Service reach the silo's port.
        var mount = container.Items("volumeMounts").Single(m => m.Text("mountPath") == options[0].ResultsDir);
        var volume = pod.Items("volumes").Single(v => v.Text("name") == mount.Text("name"));
        Assert.Equal(Kind("PersistentVolumeClaim").Text("metadata", "name"), volume.Text("persistentVolumeClaim", "claimName"));
        Assert.Equal(["ReadWriteMany"], Kind("PersistentVolumeClaim").Items("spec", "accessModes").Select(m => ((YamlScalarNode)m).Value));
        var port = container.Items("ports").Single();
        Assert.Equal("5080", port.Text("containerPort"));
        foreach (var probe in new[] { "readinessProbe", "livenessProbe" })
        {
            Assert.Equal("/healthz", container.Text(probe, "httpGet", "path"));
            Assert.Equal(port.Text("name"), container.Text(probe, "httpGet", "port"));
        }

        Assert.NotNull(container.Get("resources", "requests", "memory"));
        var service = Kind("Service");
        Assert.Equal("ClusterIP", service.Text("spec", "type"));
        var servicePort = service.Items("spec", "ports").Single();
        Assert.Equal("80", servicePort.Text("port"));
        Assert.Equal(port.Text("name"), servicePort.Text("targetPort"));
        Assert.Equal(deployment.Text("spec", "selector", "matchLabels", "app.kubernetes.io/name"), service.Text("spec", "selector", "app.kubernetes.io/name"));
    }

    [Fact]
    public void The_sample_appsettings_uses_only_flag_keys_and_configures_a_cluster_silo()
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(DeployFiles.Root, "deploy/config/appsettings.Cluster.json")).Build();
        var keys = configuration.GetChildren().Select(c => c.Key).Where(k => k != "Logging").ToList();

        Assert.All(keys, k => Assert.Contains(k, SiloOptions.KnownFlags));
        var options = SiloOptions.Parse(configuration);
        Assert.True(options.IsCluster);
        Assert.Equal("silo-a", options.SiloId);
        Assert.Equal("/srv/hera/results", options.ResultsDir);
        Assert.Equal("http://silo-a.example.internal:5080", options.AdvertiseUrl);
        Assert.Equal(4, options.WorkerSlots);
    }

    [Fact]
    public void The_readme_starts_three_local_cluster_silos_on_5081_to_5083_with_one_results_dir()
    {
        var readme = DeployFiles.Read("README.md");
        var start = readme.IndexOf("## Run a cluster\n", StringComparison.Ordinal);
        Assert.True(start >= 0 && start < readme.IndexOf("## The hera CLI\n", StringComparison.Ordinal), "'Run a cluster' comes just before 'The hera CLI'");
        var section = readme[start..readme.IndexOf("## The hera CLI\n", StringComparison.Ordinal)];
        var env = DeployFiles.EnvFile("deploy/config/silo.env");
        var runs = Regex.Replace(section, @"\\\n\s*", " ").Split('\n').Where(l => l.StartsWith("dotnet run ", StringComparison.Ordinal)).ToList();

        Assert.Equal(3, runs.Count);
        var options = runs.Select(run =>
        {
            var words = DeployFiles.ShellWords(run, env);
            return ParseCluster("README", words.Skip(words.ToList().IndexOf("--") + 1));
        }).ToList();
        Assert.Equal(Silos, options.Select(o => o.SiloId));
        Assert.Equal(["http://127.0.0.1:5081", "http://127.0.0.1:5082", "http://127.0.0.1:5083"], options.Select(o => o.AdvertiseUrl));
        Assert.Equal(3, options.Select(o => o.DataDir).Distinct().Count());
        Assert.Single(options.Select(o => o.ResultsDir).Distinct());
        Assert.All(options, o => AssertPasswordFromEnvironment(o, env.GetValueOrDefault("PGPASSWORD")));
        Assert.Contains("curl -s http://127.0.0.1:5081/v1/cluster", section);
    }

    /// <summary>Parses a silo's arguments, refusing unknown or repeated flags, and asserts cluster mode.</summary>
    private static SiloOptions ParseCluster(string where, IEnumerable<string> arguments)
    {
        var args = arguments.ToList();
        var flags = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            // Each flag is --name=value or --name value; anything else would be dropped or misread by AddCommandLine.
            Assert.True(args[i].StartsWith("--", StringComparison.Ordinal), $"{where}: '{args[i]}' is not a flag: {string.Join(' ', args)}");
            var flag = args[i][2..].Split('=')[0];
            if (!args[i].Contains('=', StringComparison.Ordinal))
            {
                Assert.True(i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal), $"{where}: --{flag} has no value");
                i++;
            }

            Assert.True(SiloOptions.KnownFlags.Contains(flag), $"{where}: --{flag} is not a flag the silo reads");
            Assert.False(flags.Contains(flag), $"{where}: --{flag} is given twice");
            flags.Add(flag);
        }

        var configuration = new ConfigurationBuilder().AddCommandLine([.. args]).Build();
        var options = SiloOptions.Parse(configuration);
        Assert.True(options.IsCluster, $"{where}: --store postgres");
        foreach (var required in new[] { "store-connection", "silo-id", "results-dir", "urls" })
        {
            Assert.True(flags.Contains(required), $"{where}: a cluster silo needs --{required}");
        }

        // Listening on every interface, the default advertised URL would be loopback, which other hosts cannot reach.
        if (configuration["urls"]!.Contains("://0.0.0.0", StringComparison.Ordinal))
        {
            Assert.True(flags.Contains("advertise-url"), $"{where}: listening on every interface needs --advertise-url");
            Assert.DoesNotContain("://127.0.0.1", options.AdvertiseUrl, StringComparison.Ordinal);
        }

        return options;
    }

    private static string? Flag(IReadOnlyList<string> args, string flag) =>
        args.FirstOrDefault(a => a.StartsWith($"--{flag}=", StringComparison.Ordinal))?[(flag.Length + 3)..];

    // Every deployment form gives the password as PGPASSWORD (Npgsql reads it), never on the command line.
    private static void AssertPasswordFromEnvironment(SiloOptions silo, string? password)
    {
        var connection = new NpgsqlConnectionStringBuilder(silo.StoreConnection);
        Assert.False(string.IsNullOrEmpty(connection.Host));
        Assert.Equal("hera", connection.Database);
        Assert.Null(connection.Password);
        Assert.False(string.IsNullOrEmpty(password), "PGPASSWORD is set beside the connection");
    }

    private static string Directive(string unit, string name) =>
        unit.Split('\n').Single(l => l.StartsWith(name + "=", StringComparison.Ordinal))[(name.Length + 1)..];

    private static List<string> PodArgs(YamlNode container, YamlNode configMap, YamlNode secret, string podName, string podIp, out Dictionary<string, string> env)
    {
        env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in container.Items("env"))
        {
            var from = variable.Get("valueFrom");
            env[variable.Text("name")!] = variable.Text("value") ?? (from?.Text("fieldRef", "fieldPath") switch
            {
                "metadata.name" => podName,
                "status.podIP" => podIp,
                null when from?.Get("configMapKeyRef") is { } key => Reference(configMap, key, "data"),
                null when from?.Get("secretKeyRef") is { } key => Reference(secret, key, "stringData"),
                var other => throw new Xunit.Sdk.XunitException($"env {variable.Text("name")}: unexpected source {other}"),
            });
        }

        var expanded = env;
        return [.. container.Items("args").Select(a => DeployFiles.KubernetesExpand(((YamlScalarNode)a).Value!, expanded))];
    }

    private static string Reference(YamlNode source, YamlNode key, string section)
    {
        Assert.Equal(source.Text("metadata", "name"), key.Text("name"));
        return source.Text(section, key.Text("key")!) ?? throw new Xunit.Sdk.XunitException($"{source.Text("metadata", "name")} has no key {key.Text("key")}");
    }

    [GeneratedRegex(@"configuration(\[""|, "")(?<key>[a-z-]+)""")]
    private static partial Regex ConfigurationKey();
}
