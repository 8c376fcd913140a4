using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using Microsoft.PowerShell.Commands;
using ModelverseImage.Errors;

namespace ModelverseImage.Commands
{
    /// <summary>
    /// The input files of Edit-MvImage and Import-MvImage, resolved against PowerShell's current location as
    /// -Path and -LiteralPath promise: file system paths only, and every path that gives no file is one error
    /// record (written through <paramref name="cmdlet"/>), never silence and never a terminating exception.
    /// </summary>
    internal static class InputPaths
    {
        /// <summary>
        /// -Path: wildcards expanded. A pattern that matches nothing but names an existing file literally
        /// ('my photo [1].png') gives that file; one that matches nothing is FileNotFound: in a runbook a wrong
        /// folder must not look like success.
        /// </summary>
        public static IReadOnlyList<string> Expand(PSCmdlet cmdlet, string path)
        {
            try
            {
                var resolved = cmdlet.SessionState.Path.GetResolvedProviderPathFromPSPath(path, out var provider);
                if (provider.ImplementingType != typeof(FileSystemProvider))
                {
                    cmdlet.WriteError(ErrorCatalog.NotAFileSystemPath.Create(path, path, provider.Name));
                    return Array.Empty<string>();
                }
                if (resolved.Count == 0 && WildcardPattern.ContainsWildcardCharacters(path))
                {
                    string literal = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
                    if (File.Exists(literal)) return new[] { literal };
                }
                if (resolved.Count == 0) cmdlet.WriteError(ErrorCatalog.FileNotFound.Create(path, path));
                return resolved;
            }
            catch (Exception ex) when (ex is ItemNotFoundException || ex is System.Management.Automation.DriveNotFoundException || ex is ProviderNotFoundException)
            {
                cmdlet.WriteError(ErrorCatalog.FileNotFound.Wrap(ex, path, path));
            }
            catch (Exception ex) when (ex is ArgumentException || ex is NotSupportedException)
            {
                cmdlet.WriteError(ErrorCatalog.InvalidPath.Wrap(ex, path, ex.Message));
            }
            return Array.Empty<string>();
        }

        /// <summary>-LiteralPath (and PSPath from Get-ChildItem): the path as it is, or null when it is not a usable file system path.</summary>
        public static string? Literal(PSCmdlet cmdlet, string path)
        {
            try
            {
                string resolved = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out ProviderInfo provider, out _);
                if (provider.ImplementingType == typeof(FileSystemProvider)) return resolved;
                cmdlet.WriteError(ErrorCatalog.NotAFileSystemPath.Create(path, path, provider.Name));
            }
            catch (ItemNotFoundException ex)
            {
                cmdlet.WriteError(ErrorCatalog.FileNotFound.Wrap(ex, path, path));
            }
            catch (Exception ex) when (ex is System.Management.Automation.DriveNotFoundException || ex is ProviderNotFoundException || ex is NotSupportedException || ex is ArgumentException)
            {
                cmdlet.WriteError(ErrorCatalog.InvalidPath.Wrap(ex, path, ex.Message));
            }
            return null;
        }
    }
}
