using System.Management.Automation;
using System.Security;

namespace ModelverseImage.Parameters
{
    /// <summary>
    /// Lets -ApiKey take a plain string as well as a SecureString (runbooks read keys from encrypted
    /// variables as strings).
    /// </summary>
    public sealed class SecureStringTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            object? value = inputData is PSObject pso ? pso.BaseObject : inputData;
            if (value is string text)
            {
                var secure = new SecureString();
                foreach (char c in text) secure.AppendChar(c);
                secure.MakeReadOnly();
                return secure;
            }
            return value;
        }
    }
}
