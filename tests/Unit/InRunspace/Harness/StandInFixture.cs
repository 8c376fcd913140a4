namespace ModelverseImage.Tests.Harness;

/// <summary>One API stand-in per test class (IClassFixture), handed to each test as new by <see cref="ApiSession"/>.</summary>
public sealed class StandInFixture : SharedStandIn, IAsyncLifetime;
