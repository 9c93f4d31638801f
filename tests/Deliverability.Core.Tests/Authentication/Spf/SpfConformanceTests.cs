using Deliverability.Core.Authentication.Spf;
using Deliverability.Core.Dns;

namespace Deliverability.Core.Tests.Authentication.Spf;

/// <summary>
/// Every test of the RFC 7208 suite, each its own case, served by a real DNS server on 127.0.0.1 and evaluated through
/// the production <see cref="DnsStubResolver"/>.
/// </summary>
public sealed class SpfConformanceTests(SpfConformanceServers servers) : IClassFixture<SpfConformanceServers>
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var scenario in SpfConformanceSuite.Instance.Scenarios)
        {
            foreach (var test in scenario.Tests)
            {
                data.Add(scenario.Name, test.Name);
            }
        }

        return data;
    }

    [Fact]
    public void Suite_is_read_from_the_repository_and_has_all_203_tests()
    {
        var suite = SpfConformanceSuite.Instance;

        // The vendored copy in the output folder, never a folder above the repository.
        Assert.StartsWith(AppContext.BaseDirectory, suite.Path, StringComparison.Ordinal);
        Assert.Equal(16, suite.Scenarios.Count);
        Assert.Equal(203, suite.Scenarios.Sum(s => s.Tests.Count));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Rfc7208_suite(string scenario, string test)
    {
        var suite = SpfConformanceSuite.Instance;
        var testCase = suite.Case(scenario, test);
        var server = await servers.ForAsync(suite.Scenarios.Single(s => s.Name == scenario));
        // One retry: on 2 cores busy with other test classes an ordinary answer can miss one second (seen once in CI-like runs).
        var resolver = new DnsStubResolver(new DnsOptions { NameServers = [server.Endpoint], TimeoutSeconds = 1, Retries = 1, UseCache = false });
        var evaluator = new SpfEvaluator(resolver);

        var evaluation = await evaluator.CheckSenderAsync(testCase.Host, testCase.MailFrom, testCase.Helo);

        var trace = string.Join(Environment.NewLine, evaluation.Trace);
        Assert.True(
            testCase.Results.Contains(evaluation.ResultText),
            $"expected {string.Join(" or ", testCase.Results)}, got {evaluation.ResultText} ({evaluation.Problem}){Environment.NewLine}{trace}");
        if (testCase.Explanation is not null)
        {
            var expected = testCase.Explanation == "DEFAULT"
                ? SpfEvaluation.DefaultExplanation(evaluation.Domain, evaluation.Ip)
                : testCase.Explanation;

            // The suite writes IPv6 nibbles of %{i} in upper case; DNS names compare without case.
            Assert.Equal(expected, evaluation.Explanation, ignoreCase: true);
        }
    }
}
