using System.Management.Automation;
using System.Reflection;
using System.Runtime;
using System.Runtime.InteropServices;

namespace ModelverseImage.Bench;

/// <summary>The machine line printed above the table.</summary>
internal static class Machine
{
    public static string Describe()
    {
        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        var parts = new List<string>
        {
            $"{Environment.ProcessorCount} cores ({CpuModel()})",
            string.Create(CultureInfo.InvariantCulture, $"{memory:0.0} GiB"),
            $"{OsName()} {RuntimeInformation.OSArchitecture}",
            RuntimeInformation.FrameworkDescription,
            $"{(GCSettings.IsServerGC ? "server" : "workstation")} GC",
            $"PowerShell SDK {Version(typeof(PowerShell).Assembly)}",
            $"OpenAI SDK {Version(typeof(OpenAI.OpenAIClient).Assembly)}",
        };
        return string.Join(", ", parts);
    }

    /// <summary>The load averages (1, 5, 15 min): other work on the machine disturbs every figure.</summary>
    public static string LoadAverage()
    {
        try
        {
            var fields = File.ReadAllText("/proc/loadavg").Split(' ');
            return $"{fields[0]} {fields[1]} {fields[2]}";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line?.Split(':', 2)[1].Trim() ?? RuntimeInformation.ProcessArchitecture.ToString();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }

    private static string OsName() => OperatingSystem.IsLinux()
        ? $"{RuntimeInformation.OSDescription}, Linux {Environment.OSVersion.Version}"
        : RuntimeInformation.OSDescription;

    private static string Version(Assembly assembly)
    {
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        return informational?.Split('+', ' ')[0] ?? assembly.GetName().Version?.ToString() ?? "?";
    }
}
