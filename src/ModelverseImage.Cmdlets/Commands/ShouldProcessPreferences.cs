using System.Management.Automation;

namespace ModelverseImage.Commands
{
    /// <summary>
    /// Whether -WhatIf or -Confirm is in effect for a cmdlet: its own switch when given, else the caller's
    /// $WhatIfPreference / $ConfirmPreference, as ShouldProcess itself decides.
    /// </summary>
    internal static class ShouldProcessPreferences
    {
        public static bool WhatIf(PSCmdlet cmdlet) =>
            cmdlet.MyInvocation.BoundParameters.TryGetValue("WhatIf", out var whatIf)
                ? LanguagePrimitives.IsTrue(whatIf)
                : LanguagePrimitives.IsTrue(cmdlet.SessionState.PSVariable.GetValue("WhatIfPreference"));

        /// <summary>-Confirm, or a $ConfirmPreference of Medium or lower (the cmdlets' impact is Medium).</summary>
        public static bool Confirm(PSCmdlet cmdlet) =>
            cmdlet.MyInvocation.BoundParameters.TryGetValue("Confirm", out var confirm)
                ? LanguagePrimitives.IsTrue(confirm)
                : cmdlet.SessionState.PSVariable.GetValue("ConfirmPreference") is ConfirmImpact preference && preference <= ConfirmImpact.Medium;
    }
}
