using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Deliverability.Server.Auth;
using MudBlazor;

namespace Deliverability.Server.Tests.Auth;

/// <summary>bUnit tests of Settings → API keys over the real service's key store.</summary>
public sealed class ApiKeysSettingsPageTests : ServiceFixture
{
    private MonitorApplication _service = null!;
    private BunitContext _context = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _service = StartService();
        _ = _service.Services;
        _context = PageContext.Over(_service.Services);
        _context.AddAuthorization().SetAuthorized("ada").SetRoles(MonitorRoles.Admin).SetPolicies(AuthPolicies.Viewer, AuthPolicies.Operator, AuthPolicies.Admin);
        _context.Render<MudPopoverProvider>();
    }

    public override async Task DisposeAsync()
    {
        await _context.DisposeAsync();
        await _service.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task A_name_with_an_escape_character_is_refused_next_to_its_field_and_no_key_is_made()
    {
        var keys = _service.Services.GetRequiredService<ApiKeyStore>();
        var keysBefore = (await keys.ListAsync(CancellationToken.None)).Count; // those of the test configuration
        var page = _context.Render<ApiKeysSettings>();

        page.Find("div[data-field=key-name] input").Change("deploy\u001b]0;owned\u0007");
        page.Find("[data-testid=create-key]").Click();

        page.WaitForAssertion(() => Assert.Contains("control or formatting character", page.Find("div[data-field=key-name]").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=new-key]"));
        Assert.Equal(keysBefore, (await keys.ListAsync(CancellationToken.None)).Count);

        page.Find("div[data-field=key-name] input").Change("deploy");
        page.Find("[data-testid=create-key]").Click();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=new-key]")));
    }
}
