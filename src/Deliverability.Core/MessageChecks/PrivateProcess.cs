using System.Diagnostics;

namespace Deliverability.Core.MessageChecks;

/// <summary>Stops a helper process the message checks started (spamd, Chromium) and removes its private folder.</summary>
internal static class PrivateProcess
{
    public static async ValueTask StopAsync(Process process, string folder)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
        {
            // Already gone, or refusing to die: the folder below is all that is left to clean.
        }

        process.Dispose();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A temporary folder left behind is harmless; the check's result does not depend on it.
        }
    }
}
