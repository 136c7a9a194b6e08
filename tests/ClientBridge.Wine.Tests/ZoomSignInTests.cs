using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using ClientBridge.Providers.Zoom;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using ZoomEmulator;

namespace ClientBridge.Wine.Tests;

/// <summary>
/// Zoom sign-in of the agent's Windows build under Wine, against the Zoom emulator on 127.0.0.1 of this machine: the
/// agent opens the authorize page through ShellExecute (recorded by <see cref="RecordingBrowser"/>), the test follows
/// it as a browser would, the emulator redirects to the agent's loopback listener, and the tokens land in a file
/// encrypted with DPAPI (Wine's implementation). Access tokens live 2 minutes here, under the agent's 5-minute renewal
/// margin, so every use of the sign-in renews it and rotates the refresh token.
/// </summary>
[TestClass]
public sealed class ZoomSignInTests
{
    private static readonly TimeSpan BrowserTimeout = TimeSpan.FromSeconds(30);

    private const string TokenFileName = "zoom.tokens";

    private readonly EnvironmentOverrides _environment = new();
    private string _work = null!;
    private string _state = null!;
    private string _logs = null!;
    private ZoomEmulatorServer _zoom = null!;
    private RecordingBrowser _browser = null!;

    public TestContext TestContext { get; set; } = null!;

    private string TokenFile => Path.Combine(_state, TokenFileName);

    [TestInitialize]
    public async Task StartZoomAsync()
    {
        WineEnvironment wine = WineEnvironment.Current;
        if (!wine.UsesWine)
        {
            Assert.Inconclusive("These tests play the browser through Wine's winebrowser; on Windows the sign-in would open a real browser.");
        }

        _work = WineEnvironment.NewTempDirectory("zoom-sign-in");
        _state = Directory.CreateDirectory(Path.Combine(_work, "state")).FullName;
        _logs = wine.TestLogFolder(TestContext, "agent");
        string settings = Directory.CreateDirectory(Path.Combine(_work, "settings")).FullName;
        _zoom = await ZoomEmulatorServer.StartAsync(new EmulatorOptions { AccessTokenLifetime = TimeSpan.FromMinutes(2) });
        _browser = await RecordingBrowser.InstallAsync(wine, _work);

        // Wine hands the host's environment to Windows programs: the agent and its commands all see these.
        _environment.Set("ClientBridge__Zoom__ClientId", _zoom.Options.ClientId);
        _environment.Set("ClientBridge__Zoom__OAuthBaseUrl", _zoom.OAuthBaseUrl.AbsoluteUri);
        _environment.Set("ClientBridge__Zoom__ApiBaseUrl", _zoom.ApiBaseUrl.AbsoluteUri);
        _environment.Set("ClientBridge__StateDirectory", wine.ToWindowsPath(_state));
        _environment.Set("ClientBridge__SettingsDirectory", wine.ToWindowsPath(settings));
        _environment.Set("ClientBridge__Tray__Enabled", "false");
    }

    [TestCleanup]
    public async Task StopZoomAsync()
    {
        _environment.Restore();

        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        if (_zoom is not null)
        {
            await _zoom.DisposeAsync();
        }

        WineEnvironment.DeleteTempDirectory(_work);
    }

    [TestMethod]
    public async Task Sign_in_through_the_loopback_redirect_keeps_tokens_encrypted_rotates_them_across_a_restart_and_sign_out_revokes_them()
    {
        WineEnvironment wine = WineEnvironment.Current;
        await using (AgentProcess first = await AgentProcess.StartAsync(wine, _logs))
        {
            Report($"agent answering after {first.TimeToReady.TotalMilliseconds:0} ms");
            SignIn signIn = await SignInThroughTheBrowserAsync(wine);
            Report($"sign-in: browser opened after {signIn.BrowserAfter.TotalMilliseconds:0} ms, command done after {signIn.Command.Elapsed.TotalMilliseconds:0} ms");
            AssertStoredEncrypted("after sign-in");
            await StopAsync(wine, first);
        }

        string signedInRefresh = _zoom.IssuedTokens[^1];
        byte[] beforeRestart = await File.ReadAllBytesAsync(TokenFile);

        // A new agent process reads the sign-in back from the file and, to schedule, renews it: the refresh token rotates.
        await using (AgentProcess second = await AgentProcess.StartAsync(wine, _logs))
        {
            ProcessResult status = await wine.StatusAsync();
            Assert.Contains("zoom (signed in)", status.StandardOutput, $"The restarted agent did not read the stored sign-in.\n{status.Describe()}\n{second.Output}");

            ProcessResult scheduled = await ScheduleOnZoomAsync(wine);
            Assert.AreEqual(0, scheduled.ExitCode, $"{scheduled.Describe()}\n--- agent ---\n{second.Output}");
            Assert.Contains("Scheduled a zoom meeting.", scheduled.StandardOutput, scheduled.Describe());
            Assert.HasCount(1, _zoom.Meetings);
            Assert.IsTrue(
                _zoom.Requests.Any(r => r.Path == "/oauth/token" && r.Status == 200 && r.Body.Contains("grant_type=refresh_token", StringComparison.Ordinal) && r.Body.Contains(signedInRefresh, StringComparison.Ordinal)),
                "The restarted agent renewed the sign-in with the refresh token stored before the restart.");
            byte[] afterRefresh = await File.ReadAllBytesAsync(TokenFile);
            Assert.IsFalse(beforeRestart.SequenceEqual(afterRefresh), "The rotated refresh token was written to the file.");
            AssertStoredEncrypted("after the refresh");
            Assert.AreEqual(HttpStatusCode.BadRequest, await RefreshAtZoomAsync(signedInRefresh), "Zoom invalidated the refresh token from before the restart.");
            string rotatedRefresh = _zoom.IssuedTokens[^1];

            ProcessResult signOut = await wine.RunWindowsAsync(wine.AgentExecutable, "sign-out", "--provider", "zoom");
            Assert.AreEqual(0, signOut.ExitCode, signOut.Describe());
            Assert.Contains("zoom: signed out", signOut.StandardOutput, signOut.Describe());
            Assert.IsTrue(
                _zoom.Requests.Any(r => r.Path == "/oauth/revoke" && r.Status == 200 && r.Body.Contains(rotatedRefresh, StringComparison.Ordinal)),
                "Sign-out revoked the newest refresh token at Zoom.");
            Assert.AreEqual(HttpStatusCode.BadRequest, await RefreshAtZoomAsync(rotatedRefresh), "The revoked grant cannot be renewed.");
            Assert.IsFalse(File.Exists(TokenFile), "Sign-out deleted the token file.");
            await StopAsync(wine, second);
            AssertNoTokenIn(second.Output, "the agent's console");
        }

        AssertNoTokenInLogs();
    }

    [TestMethod]
    public async Task A_corrupted_token_file_is_refused_with_a_sentence_and_a_fresh_sign_in_works()
    {
        WineEnvironment wine = WineEnvironment.Current;
        await using (AgentProcess first = await AgentProcess.StartAsync(wine, _logs))
        {
            await SignInThroughTheBrowserAsync(wine);
            await StopAsync(wine, first);
        }

        // The second half of the DPAPI blob (salt, cipher text, fingerprint) turned upside down, as a bad disk might.
        byte[] blob = await File.ReadAllBytesAsync(TokenFile);
        for (int i = blob.Length / 2; i < blob.Length; i++)
        {
            blob[i] ^= 0xFF;
        }

        await File.WriteAllBytesAsync(TokenFile, blob);
        await RefusedThenSignedInAgainAsync(wine, "corrupted", TokenStore.DamagedProblem);
    }

    [TestMethod]
    public async Task A_token_file_encrypted_for_another_user_is_refused_with_a_sentence_and_a_fresh_sign_in_works()
    {
        WineEnvironment wine = WineEnvironment.Current;

        // Another user of this Wine prefix signs in with the same agent, into a state folder of their own. Wine's DPAPI
        // keys a blob with the user name (GetUserName, which Wine takes from WINEUSERNAME, set from $USER), not with a
        // per-user master key as Windows does, so "another user" here is another user name.
        string otherState = Directory.CreateDirectory(Path.Combine(_work, "other-user-state")).FullName;
        string? ourState = Environment.GetEnvironmentVariable("ClientBridge__StateDirectory");
        string us = await UserNameAsync(wine);
        string? ourUser = Environment.GetEnvironmentVariable("USER");
        Environment.SetEnvironmentVariable("USER", "clientbridge-other-user");
        Environment.SetEnvironmentVariable("ClientBridge__StateDirectory", wine.ToWindowsPath(otherState));
        try
        {
            string them = await UserNameAsync(wine);
            Assert.AreNotEqual(us, them, "Wine did not take another user name from $USER, so it cannot make another user's DPAPI blob here.");
            Report($"signing in as Wine user '{them}' (the tests run as '{us}')");
            await using AgentProcess other = await AgentProcess.StartAsync(wine, _logs);
            await SignInThroughTheBrowserAsync(wine);
            await StopAsync(wine, other);
        }
        finally
        {
            Environment.SetEnvironmentVariable("USER", ourUser);
            Environment.SetEnvironmentVariable("ClientBridge__StateDirectory", ourState);
        }

        File.Copy(Path.Combine(otherState, TokenFileName), TokenFile);
        await RefusedThenSignedInAgainAsync(wine, "another user's", TokenStore.ForeignProblem);
    }

    /// <summary>
    /// An agent started over a token file it cannot read: it runs, says why in its log, is signed out of Zoom, refuses to
    /// schedule on Zoom with a sentence, and a new sign-in replaces the file.
    /// </summary>
    private async Task RefusedThenSignedInAgainAsync(WineEnvironment wine, string what, string sentence)
    {
        await using AgentProcess agent = await AgentProcess.StartAsync(wine, _logs);
        Assert.Contains(sentence + " Zoom stays signed out until then.", agent.Output, $"The agent did not say why it ignored the {what} token file.\n{agent.Output}");
        Report($"agent over the {what} token file logged: {sentence}");
        ProcessResult status = await wine.StatusAsync();
        Assert.Contains("zoom (signed out)", status.StandardOutput, status.Describe());

        ProcessResult refused = await ScheduleOnZoomAsync(wine);
        Report($"schedule over the {what} token file: exit {refused.ExitCode}: {refused.StandardError}");
        Assert.AreNotEqual(0, refused.ExitCode, refused.Describe());
        Assert.Contains("sign in", refused.StandardError, refused.Describe());
        Assert.IsFalse(agent.HasExited, $"The agent stopped over the {what} token file.\n{agent.Output}");

        await SignInThroughTheBrowserAsync(wine);
        ProcessResult scheduled = await ScheduleOnZoomAsync(wine);
        Assert.AreEqual(0, scheduled.ExitCode, $"{scheduled.Describe()}\n--- agent ---\n{agent.Output}");
        AssertStoredEncrypted($"after signing in again over the {what} file");
        await StopAsync(wine, agent);
    }

    /// <summary>Runs <c>sign-in</c> and plays the person at the browser: follows the authorize page to the agent's redirect.</summary>
    private async Task<SignIn> SignInThroughTheBrowserAsync(WineEnvironment wine)
    {
        int opened = _browser.Count;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Task<ProcessResult> command = wine.RunWindowsAsync(wine.AgentExecutable, "sign-in", "--provider", "zoom");
        Uri authorize = await _browser.WaitForAddressAsync(opened, BrowserTimeout, command);
        TimeSpan browserAfter = clock.Elapsed;

        Assert.AreEqual(new Uri(_zoom.OAuthBaseUrl, "/oauth/authorize").AbsoluteUri, authorize.GetLeftPart(UriPartial.Path), authorize.AbsoluteUri);
        Dictionary<string, string> query = Query(authorize);
        Assert.AreEqual("S256", query.GetValueOrDefault("code_challenge_method"), "PKCE with S256.");
        Assert.AreEqual(_zoom.Options.ClientId, query.GetValueOrDefault("client_id"));
        var redirect = new Uri(query["redirect_uri"]);
        Assert.AreEqual("127.0.0.1", redirect.Host, "The redirect is the agent's loopback listener (RFC 8252).");

        // The emulator answers the authorize page with a redirect to the agent's listener, which the client follows.
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = true }) { Timeout = BrowserTimeout };
        using HttpResponseMessage landed = await http.GetAsync(authorize, TestContext.CancellationToken);
        string page = await landed.Content.ReadAsStringAsync(TestContext.CancellationToken);
        Assert.AreEqual(HttpStatusCode.OK, landed.StatusCode, page);
        Assert.AreEqual(redirect.Port, landed.RequestMessage!.RequestUri!.Port, "The browser ended at the agent's listener.");
        Assert.Contains("You are signed in to Zoom.", page);

        ProcessResult result = await command;
        Assert.AreEqual(0, result.ExitCode, result.Describe());
        Assert.Contains("zoom: signed in", result.StandardOutput, result.Describe());
        return new SignIn(result, browserAfter);
    }

    private static Task<ProcessResult> ScheduleOnZoomAsync(WineEnvironment wine) => wine.RunWindowsAsync(
        wine.AgentExecutable,
        "schedule",
        "--subject",
        "Wine sign-in check",
        "--start",
        DateTimeOffset.UtcNow.AddDays(1).ToString("yyyy-MM-dd'T'HH:00:00'Z'", CultureInfo.InvariantCulture),
        "--duration",
        "30",
        "--provider",
        "zoom");

    private static async Task StopAsync(WineEnvironment wine, AgentProcess agent)
    {
        ProcessResult stop = await wine.RunWindowsAsync(wine.AgentExecutable, "stop");
        Assert.AreEqual(0, stop.ExitCode, stop.Describe());
        Assert.IsTrue(await agent.WaitForExitAsync(TimeSpan.FromSeconds(15)), $"The agent did not exit after `stop`.\n{agent.Output}");
    }

    /// <summary>Zoom's token endpoint asked directly to renew with <paramref name="refreshToken"/>, as an attacker holding an old one would.</summary>
    private async Task<HttpStatusCode> RefreshAtZoomAsync(string refreshToken)
    {
        using var http = new HttpClient();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
            ["client_id"] = _zoom.Options.ClientId,
        });
        using HttpResponseMessage response = await http.PostAsync(new Uri(_zoom.OAuthBaseUrl, "/oauth/token"), form, TestContext.CancellationToken);
        return response.StatusCode;
    }

    /// <summary>The token file holds none of the tokens Zoom issued, in UTF-8 or UTF-16, and is not the JSON it encrypts.</summary>
    private void AssertStoredEncrypted(string when)
    {
        Assert.IsTrue(File.Exists(TokenFile), $"No token file {when}.");
        byte[] stored = File.ReadAllBytes(TokenFile);
        IReadOnlyList<string> issued = _zoom.IssuedTokens;
        Assert.IsNotEmpty(issued);
        foreach (string token in issued)
        {
            Assert.IsLessThan(0, stored.AsSpan().IndexOf(Encoding.UTF8.GetBytes(token)), $"A token is in the clear in the token file {when}.");
            Assert.IsLessThan(0, stored.AsSpan().IndexOf(Encoding.Unicode.GetBytes(token)), $"A token is in the clear (UTF-16) in the token file {when}.");
        }

        Assert.IsLessThan(0, stored.AsSpan().IndexOf("accessToken"u8), $"The token file {when} is readable JSON.");
        Report($"token file {when}: {stored.Length} bytes, none of the {issued.Count} issued tokens in it");
    }

    private void AssertNoTokenIn(string text, string where)
    {
        foreach (string token in _zoom.IssuedTokens)
        {
            Assert.DoesNotContain(token, text, $"A Zoom token is in {where}.");
        }
    }

    private void AssertNoTokenInLogs()
    {
        string[] files = Directory.GetFiles(_logs, "*", SearchOption.AllDirectories);
        Assert.IsNotEmpty(files, "The agent wrote no log.");
        foreach (string file in files)
        {
            AssertNoTokenIn(File.ReadAllText(file), $"the log {Path.GetFileName(file)}");
        }
    }

    /// <summary>The user name Windows programs get from GetUserName (what Wine's DPAPI keys on); %USERNAME% comes from the registry instead.</summary>
    private static async Task<string> UserNameAsync(WineEnvironment wine)
    {
        ProcessResult whoami = await wine.RunWindowsAsync("whoami");
        Assert.AreEqual(0, whoami.ExitCode, whoami.Describe());
        return whoami.StandardOutput.Trim();
    }

    private static Dictionary<string, string> Query(Uri url) =>
        url.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => p.Length > 1 ? Uri.UnescapeDataString(p[1]) : string.Empty);

    private void Report(FormattableString line) => WineEnvironment.Current.Report(TestContext, line);

    private sealed record SignIn(ProcessResult Command, TimeSpan BrowserAfter);
}
