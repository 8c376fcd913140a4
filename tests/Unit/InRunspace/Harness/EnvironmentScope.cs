namespace ModelverseImage.Tests.Harness;

/// <summary>Sets a process environment variable for one test and puts the old value back afterwards.</summary>
public sealed class EnvironmentScope : IDisposable
{
    private readonly string _name;
    private readonly string? _saved;

    public EnvironmentScope(string name, string? value)
    {
        _name = name;
        _saved = Environment.GetEnvironmentVariable(name);
        Environment.SetEnvironmentVariable(name, value);
    }

    public void Dispose() => Environment.SetEnvironmentVariable(_name, _saved);
}
