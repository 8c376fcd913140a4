namespace ModelverseImage.Tests.Harness;

/// <summary>
/// What a user's script sees of the module's objects: PSObjects by their type name and properties, never the
/// module's classes (this assembly references none of them, so the runspaces load the shipped layout only).
/// </summary>
public static class UserView
{
    public const string MvImageType = "ModelverseImage.Output.MvImage";
    public const string SizeCheckType = "ModelverseImage.Sizes.SizeCheck";
    public const string ApiExceptionType = "ModelverseImage.Api.ApiException";

    /// <summary>The output objects whose first type name is <paramref name="typeName"/>.</summary>
    public static List<PSObject> OfTypeName(this PsResult result, string typeName) =>
        result.Output.Where(o => o != null && o.TypeNames.Count > 0 && o.TypeNames[0] == typeName).ToList();

    /// <summary>The MvImage objects of the output.</summary>
    public static List<PSObject> Images(this PsResult result) => result.OfTypeName(MvImageType);

    /// <summary>The SizeCheck objects of the output (Test-MvImageSize -Detailed).</summary>
    public static List<PSObject> SizeChecks(this PsResult result) => result.OfTypeName(SizeCheckType);

    /// <summary>A property as a script reads it ($o.Name), converted the way PowerShell converts; fails when there is no such property.</summary>
    public static T Prop<T>(this PSObject o, string name)
    {
        var property = o.Properties[name];
        Assert.True(property != null, $"{o.TypeNames[0]} has no property '{name}'");
        object? value = property!.Value;
        if (value is null) return default!;
        if (value is T typed) return typed;
        return (T)LanguagePrimitives.ConvertTo(value, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>An image's bytes, as $image.Bytes gives them (a hidden property of MvImage).</summary>
    public static byte[] Bytes(this PSObject image) => image.Prop<byte[]>("Bytes");

    /// <summary>
    /// The API failure an error record carries: its exception must be a ModelverseImage.Api.ApiException (by name,
    /// as a script's catch [ModelverseImage.Api.ApiException] matches it), read by property name.
    /// </summary>
    public static ApiFailure ApiFailure(this ErrorRecord error)
    {
        Assert.NotNull(error.Exception);
        Assert.Equal(ApiExceptionType, error.Exception.GetType().FullName);
        var e = PSObject.AsPSObject(error.Exception);
        return new ApiFailure(
            Kind: e.Prop<object>("Kind").ToString()!,
            StatusCode: e.Prop<int>("StatusCode"),
            RequestId: e.Prop<string?>("RequestId"),
            Message: error.Exception.Message,
            TimedOut: e.Prop<bool>("TimedOut"),
            Attempts: e.Prop<int>("Attempts"),
            ErrorType: e.Prop<string?>("ErrorType"),
            ErrorCode: e.Prop<string?>("ErrorCode"),
            ApiMessage: e.Prop<string?>("ApiMessage"));
    }
}

/// <summary>What a script reads from a ModelverseImage.Api.ApiException; Kind is the FailureKind's name.</summary>
public sealed record ApiFailure(
    string Kind, int StatusCode, string? RequestId, string Message, bool TimedOut, int Attempts, string? ErrorType, string? ErrorCode, string? ApiMessage);
