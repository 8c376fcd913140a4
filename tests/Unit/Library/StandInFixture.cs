namespace ModelverseImage.Tests.Library;

/// <summary>One API stand-in per test class (IClassFixture); each test takes it, as new, with <see cref="SharedStandIn.NextAsync"/>.</summary>
public sealed class StandInFixture : SharedStandIn, IAsyncLifetime;
