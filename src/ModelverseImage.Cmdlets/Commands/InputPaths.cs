using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using Microsoft.PowerShell.Commands;
using ModelverseImage.Errors;

namespace ModelverseImage.Commands
{
    /// <summary>
    /// The one resolver of the paths the cmdlets are given (-Path, -LiteralPath, -Mask, -ReferenceImage,
    /// Save-MvImage's -Path and -Directory, -Resume): against PowerShell's current location, file system paths only,
    /// with one exception filter. Each path that gives no file is one error record, never silence; the caller decides
    /// whether it ends the command.
    /// </summary>
    internal static class InputPaths
    {
        /// <summary>
        /// -Path: wildcards expanded. A pattern that matches nothing but names an existing file literally
        /// ('my photo [1].png') gives that file; one that matches nothing is FileNotFound: in a runbook a wrong
        /// folder must not look like success. Errors are written through <paramref name="cmdlet"/>.
        /// </summary>
        public static IReadOnlyList<string> Expand(PSCmdlet cmdlet, string path)
        {
            var resolution = Resolve(cmdlet, path, wildcards: true);
            if (resolution.Files.Count == 0 && resolution.Failure == null && resolution.OtherProvider == null
                && WildcardPattern.ContainsWildcardCharacters(path))
            {
                var literal = Resolve(cmdlet, path, wildcards: false);
                if (literal.Files.Count == 1 && File.Exists(literal.Files[0])) return literal.Files;
            }
            var error = resolution.Error(path, path);
            if (error != null) cmdlet.WriteError(error);
            return resolution.Files;
        }

        /// <summary>-LiteralPath (and PSPath from Get-ChildItem): the path as it is, or null when it is not a usable file system path (the error written).</summary>
        public static string? Literal(PSCmdlet cmdlet, string path)
        {
            string? file = Literal(cmdlet, path, path, out var error);
            if (error != null) cmdlet.WriteError(error);
            return file;
        }

        /// <summary>
        /// A path taken literally, or null and the error record about it (<paramref name="target"/> its TargetObject):
        /// NotAFileSystemPath, FileNotFound or InvalidPath.
        /// </summary>
        public static string? Literal(PSCmdlet cmdlet, string path, object target, out ErrorRecord? error)
        {
            var resolution = Resolve(cmdlet, path, wildcards: false);
            error = resolution.Error(path, target);
            return error == null ? resolution.Files[0] : null;
        }

        /// <summary>A file given in a parameter (-Mask, -ReferenceImage): the path, or a record naming the parameter.</summary>
        public static string? OfParameter(PSCmdlet cmdlet, string path, string parameter, out ErrorRecord? error)
        {
            string? file = Literal(cmdlet, path, path, out error);
            if (error != null) error = ErrorEntry.AboutParameter(error, parameter);
            return file;
        }

        /// <summary>
        /// Resolves <paramref name="path"/> without making a record: the caller words the outcome itself (-Resume's
        /// folder, a prompt that may be a file's path).
        /// </summary>
        public static Resolution Resolve(PSCmdlet cmdlet, string path, bool wildcards)
        {
            try
            {
                ProviderInfo provider;
                IReadOnlyList<string> files;
                if (wildcards)
                {
                    files = cmdlet.SessionState.Path.GetResolvedProviderPathFromPSPath(path, out provider);
                }
                else
                {
                    files = new[] { cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out provider, out _) };
                }
                return provider.ImplementingType == typeof(FileSystemProvider)
                    ? new Resolution(files, null, null)
                    : new Resolution(Array.Empty<string>(), provider.Name, null);
            }
            catch (Exception ex) when (CannotResolve(ex))
            {
                return new Resolution(Array.Empty<string>(), null, ex);
            }
        }

        /// <summary>
        /// The one exception filter: what PowerShell's path resolution throws for a path that cannot be used (an item
        /// or a drive that is not there, an unknown provider, bad characters, a form the provider does not take).
        /// </summary>
        private static bool CannotResolve(Exception ex) =>
            ex is SessionStateException || ex is ArgumentException || ex is NotSupportedException || ex is PSInvalidOperationException;

        /// <summary>What resolving one path gave: file system paths, or the provider it belongs to, or the failure.</summary>
        internal readonly struct Resolution
        {
            public Resolution(IReadOnlyList<string> files, string? otherProvider, Exception? failure)
            {
                Files = files;
                OtherProvider = otherProvider;
                Failure = failure;
            }

            /// <summary>The file system paths: one for a literal path; those matched for a pattern (maybe none).</summary>
            public IReadOnlyList<string> Files { get; }

            /// <summary>The provider the path belongs to, when it is not the file system.</summary>
            public string? OtherProvider { get; }

            /// <summary>What resolution threw (through the one filter), if it failed.</summary>
            public Exception? Failure { get; }

            /// <summary>
            /// The record for a path that gave no file: NotAFileSystemPath, FileNotFound (nothing there: an item that is not
            /// found, a pattern that matches nothing) or InvalidPath (any other failure: an unknown drive, bad characters).
            /// </summary>
            public ErrorRecord? Error(string path, object target)
            {
                if (OtherProvider != null) return ErrorCatalog.NotAFileSystemPath.Create(target, path, OtherProvider);
                if (Failure is ItemNotFoundException) return ErrorCatalog.FileNotFound.Wrap(Failure, target, path);
                if (Failure != null) return ErrorCatalog.InvalidPath.Wrap(Failure, target, Failure.Message);
                return Files.Count == 0 ? ErrorCatalog.FileNotFound.Create(target, path) : null;
            }
        }
    }
}
