using Bunit;
using MudBlazor.Services;

namespace Deliverability.Server.Tests;

/// <summary>The bUnit set-up every page test shares: MudBlazor, loose JS interop, and the running service's services behind the page.</summary>
internal static class PageContext
{
    public static BunitContext Over(IServiceProvider service)
    {
        var context = new BunitContext();
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        context.Services.AddMudServices();
        context.Services.AddFallbackServiceProvider(service);
        return context;
    }
}
