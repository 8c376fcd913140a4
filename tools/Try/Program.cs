using System.Management.Automation;
using System.Management.Automation.Runspaces;
using ModelverseImage.FakeApi;
using ModelverseImage.TestKit;

// dotnet run --project tools/Try [-- [--live] [prompt]]
bool live = args.Contains("--live");
string prompt = args.FirstOrDefault(a => a != "--live") ?? "a lighthouse at dawn";
string manifest = RepoPaths.ModuleManifest;
string outDir = Path.Combine(RepoPaths.RepoRoot, "out", "try");

await using var standIn = live ? null : await FakeModelverseApi.StartAsync();
if (live && string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("MODELVERSE_API_KEY")))
{
    Console.Error.WriteLine("--live needs MODELVERSE_API_KEY set to your Modelverse key.");
    return 2;
}
Console.WriteLine(live ? "Calling the real Modelverse API." : $"Calling the local API stand-in at {standIn!.BaseUri} (pass --live for the real API).");

using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
runspace.Open();
using var ps = PowerShell.Create();
ps.Runspace = runspace;
ps.AddScript(@"
    param($Manifest, $Prompt, $OutDir, $BaseUri)
    Import-Module $Manifest -ErrorAction Stop
    if ($BaseUri) { $PSDefaultParameterValues['*-MvImage:BaseUri'] = $BaseUri; $PSDefaultParameterValues['*-MvImage:ApiKey'] = 'stand-in-key' }
    New-MvImage -Prompt $Prompt -Size 1024x1024 -Quality high | Save-MvImage -Directory $OutDir -PassThru")
  .AddArgument(manifest).AddArgument(prompt).AddArgument(outDir).AddArgument(standIn?.BaseUri.ToString());
try
{
    foreach (var result in ps.Invoke())
    {
        dynamic image = result.BaseObject;
        Console.WriteLine($"{image} -> {image.Path}");
        Console.WriteLine($"  usage: {image.Usage}; request id: {image.RequestId}");
    }
}
catch (RuntimeException ex)
{
    Console.Error.WriteLine(ex.ErrorRecord?.ToString() ?? ex.Message);
    return 1;
}
foreach (var error in ps.Streams.Error) Console.Error.WriteLine($"{error.FullyQualifiedErrorId}: {error}");
return ps.Streams.Error.Count == 0 ? 0 : 1;
