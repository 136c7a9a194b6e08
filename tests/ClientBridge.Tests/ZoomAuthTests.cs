using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.ComponentModel;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Desktop;
using ClientBridge.Protocol;
using ClientBridge.Providers.Zoom;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using ZoomEmulator;

namespace ClientBridge.Tests;

/// <summary>Zoom sign-in and tokens: PKCE, the loopback redirect, the durable token store and the renewals, over real HTTP where it matters.</summary>
[TestClass]
public sealed class ZoomAuthTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private string _folder = null!;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public void MakeFolder() => _folder = Path.Combine(Path.GetTempPath(), "cbt-zoomauth-" + Guid.NewGuid().ToString("N")[..8]);

    [TestCleanup]
    public void RemoveFolder()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [TestMethod]
    public void The_PKCE_challenge_matches_the_RFC_7636_appendix_B_example()
    {
        byte[] octets = [116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121];

        string verifier = Pkce.Base64Url(octets);

        Assert.AreEqual("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", verifier);
        Assert.AreEqual("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", Pkce.Challenge(verifier));
    }

    [TestMethod]
    public void Verifiers_and_states_are_fresh_random_url_safe_strings()
    {
        string[] verifiers = [.. Enumerable.Range(0, 50).Select(_ => Pkce.CreateVerifier())];
        string[] states = [.. Enumerable.Range(0, 50).Select(_ => Pkce.CreateState())];

        Assert.AreEqual(50, verifiers.Distinct().Count());
        Assert.AreEqual(50, states.Distinct().Count());
        foreach (string value in verifiers.Concat(states))
        {
            Assert.IsTrue(value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'), value);
        }

        Assert.IsTrue(verifiers.All(v => v.Length == 43), "32 random bytes make 43 base64url characters, the minimum RFC 7636 allows.");
        Assert.IsTrue(states.All(s => s.Length >= 32));
    }

    [TestMethod]
    public void The_authorize_address_carries_the_code_flow_the_client_the_redirect_the_state_and_the_S256_challenge()
    {
        var settings = new ZoomAuthSettings { OAuthBaseUrl = "https://zoomgov.com/", ClientId = "client id&1" };

        Uri url = ZoomOAuth.BuildAuthorizeUrl(settings, new Uri("http://127.0.0.1:49152/"), "st/ate", "chal-lenge");

        Assert.AreEqual("https://zoomgov.com/oauth/authorize", url.GetLeftPart(UriPartial.Path));
        Dictionary<string, string> query = Query(url);
        Assert.AreEqual("code", query["response_type"]);
        Assert.AreEqual("client id&1", query["client_id"]);
        Assert.AreEqual("http://127.0.0.1:49152/", query["redirect_uri"]);
        Assert.AreEqual("st/ate", query["state"]);
        Assert.AreEqual("chal-lenge", query["code_challenge"]);
        Assert.AreEqual("S256", query["code_challenge_method"]);
    }

    [TestMethod]
    public void The_settings_default_to_zoom_com_and_need_both_secret_and_account_for_server_to_server()
    {
        var settings = new ZoomAuthSettings();

        Assert.AreEqual("https://api.zoom.us/v2", settings.ApiBaseUrl);
        Assert.AreEqual("https://zoom.us", settings.OAuthBaseUrl);
        Assert.IsFalse(settings.IsServerToServer);
        Assert.IsFalse(new ZoomAuthSettings { ClientSecret = "s" }.IsServerToServer);
        Assert.IsTrue(new ZoomAuthSettings { ClientSecret = "s", AccountId = "a" }.IsServerToServer);
    }

    [TestMethod]
    public void Stored_tokens_are_there_after_a_restart_in_a_file_only_the_owner_can_read()
    {
        var saved = new ZoomTokens("access-secret-1", new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero), "refresh-secret-1");
        var store = new TokenStore(_folder, protector: null);
        Assert.IsNull(store.Current);

        store.Save(saved);
        var reopened = new TokenStore(_folder, protector: null);

        Assert.AreEqual(saved, reopened.Current);
        Assert.AreEqual(TokenStore.UnencryptedWarning, reopened.Warning);
        if (!OperatingSystem.IsWindows())
        {
            Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.FilePath));
        }

        Assert.IsFalse(saved.ToString().Contains("secret", StringComparison.Ordinal), "A token must not appear in ToString: " + saved);
    }

    [TestMethod]
    public void With_a_protector_the_file_holds_no_token_in_the_clear()
    {
        var protector = new XorProtector();
        var store = new TokenStore(_folder, protector);
        store.Save(new ZoomTokens("access-secret-1", DateTimeOffset.UnixEpoch, "refresh-secret-1"));

        string onDisk = Encoding.UTF8.GetString(File.ReadAllBytes(store.FilePath));

        Assert.IsFalse(onDisk.Contains("secret", StringComparison.Ordinal));
        Assert.IsNull(store.Warning);
        Assert.AreEqual("refresh-secret-1", new TokenStore(_folder, protector).Current!.RefreshToken);
    }

    [TestMethod]
    public void A_damaged_or_foreign_file_reads_as_signed_out_with_a_reason()
    {
        Directory.CreateDirectory(_folder);
        File.WriteAllText(Path.Combine(_folder, TokenStore.FileName), "{\"accessToken\":");

        var damaged = new TokenStore(_folder, protector: null);
        Assert.IsNull(damaged.Current);
        Assert.IsNotNull(damaged.LoadProblem);

        new TokenStore(_folder, new XorProtector()).Save(new ZoomTokens("access-1", DateTimeOffset.UnixEpoch, "refresh-1"));
        var foreign = new TokenStore(_folder, new XorProtector { Refuse = true });
        Assert.IsNull(foreign.Current);
        StringAssert.Contains(foreign.LoadProblem, "decrypted");
    }

    [TestMethod]
    [DataRow("written")]
    [DataRow("flushed")]
    public void A_crash_before_the_new_refresh_token_is_committed_leaves_the_previous_one_whole(string step)
    {
        var store = new TokenStore(_folder, protector: null);
        store.Save(new ZoomTokens("access-1", DateTimeOffset.UnixEpoch, "refresh-1"));
        store.StepHook = s =>
        {
            if (s == step)
            {
                throw new SimulatedCrashException();
            }
        };

        Assert.ThrowsExactly<SimulatedCrashException>(() => store.Save(new ZoomTokens("access-2", DateTimeOffset.UnixEpoch, "refresh-2")));

        Assert.AreEqual("refresh-1", store.Current!.RefreshToken, "Nothing new is visible before it is on disk.");
        var restarted = new TokenStore(_folder, protector: null);
        Assert.AreEqual("refresh-1", restarted.Current!.RefreshToken);
        Assert.IsNull(restarted.LoadProblem);
        Assert.IsFalse(File.Exists(restarted.FilePath + ".new"), "The torn temporary file is cleared away on the next start.");
    }

    [TestMethod]
    public void A_crash_right_after_the_rename_keeps_the_new_refresh_token()
    {
        var store = new TokenStore(_folder, protector: null);
        store.Save(new ZoomTokens("access-1", DateTimeOffset.UnixEpoch, "refresh-1"));
        store.StepHook = s =>
        {
            if (s == "renamed")
            {
                throw new SimulatedCrashException();
            }
        };

        Assert.ThrowsExactly<SimulatedCrashException>(() => store.Save(new ZoomTokens("access-2", DateTimeOffset.UnixEpoch, "refresh-2")));

        Assert.AreEqual("refresh-2", new TokenStore(_folder, protector: null).Current!.RefreshToken);
    }

    [TestMethod]
    public void Clearing_the_store_deletes_the_file()
    {
        var store = new TokenStore(_folder, protector: null);
        store.Save(new ZoomTokens("access-1", DateTimeOffset.UnixEpoch, "refresh-1"));

        store.Clear();

        Assert.IsNull(store.Current);
        Assert.IsFalse(File.Exists(store.FilePath));
        Assert.IsNull(new TokenStore(_folder, protector: null).Current);
    }

    [TestMethod]
    public async Task The_loopback_listener_answers_a_wrong_state_or_junk_with_400_and_keeps_waiting_for_the_right_state()
    {
        CancellationToken cancel = TestContext.CancellationToken;
        using LoopbackRedirectListener listener = LoopbackRedirectListener.Start();
        Assert.AreEqual("127.0.0.1", listener.RedirectUri.Host);
        Assert.AreEqual("/", listener.RedirectUri.AbsolutePath);
        Task<AuthorizationResponse> waiting = listener.WaitAsync("the-state", Patience, cancel);
        using var http = new HttpClient();

        using (var silent = new TcpClient())
        {
            // A speculative connection that sends nothing must not hold up the others.
            await silent.ConnectAsync(IPAddress.Loopback, listener.RedirectUri.Port, cancel);

            using HttpResponseMessage wrong = await http.GetAsync(new Uri(listener.RedirectUri, "?code=stolen&state=other-state"), cancel);
            using HttpResponseMessage missing = await http.GetAsync(new Uri(listener.RedirectUri, "?code=stolen"), cancel);
            using HttpResponseMessage otherPath = await http.GetAsync(new Uri(listener.RedirectUri, "favicon.ico?state=the-state&code=x"), cancel);
            string junkAnswer = await SendRawAsync(listener.RedirectUri.Port, "HELLO THERE\r\n\r\n", cancel);

            Assert.AreEqual(HttpStatusCode.BadRequest, wrong.StatusCode);
            Assert.AreEqual(HttpStatusCode.BadRequest, missing.StatusCode);
            Assert.AreEqual(HttpStatusCode.BadRequest, otherPath.StatusCode);
            StringAssert.StartsWith(junkAnswer, "HTTP/1.1 400");
            Assert.IsFalse(waiting.IsCompleted);

            using HttpResponseMessage right = await http.GetAsync(new Uri(listener.RedirectUri, "?code=the%20code&state=the-state"), cancel);
            Assert.AreEqual(HttpStatusCode.OK, right.StatusCode);
        }

        AuthorizationResponse response = await waiting.WaitAsync(Patience, cancel);
        Assert.AreEqual("the code", response.Code);
        Assert.IsNull(response.Error);
    }

    [TestMethod]
    public async Task The_loopback_listener_reports_a_declined_sign_in_and_gives_up_after_its_timeout()
    {
        CancellationToken cancel = TestContext.CancellationToken;
        using (LoopbackRedirectListener listener = LoopbackRedirectListener.Start())
        {
            Task<AuthorizationResponse> waiting = listener.WaitAsync("s", Patience, cancel);
            using var http = new HttpClient();
            using HttpResponseMessage declined = await http.GetAsync(new Uri(listener.RedirectUri, "?error=access_denied&state=s"), cancel);
            Assert.AreEqual("access_denied", (await waiting).Error);
        }

        using LoopbackRedirectListener idle = LoopbackRedirectListener.Start();
        BridgeException error = await Assert.ThrowsExactlyAsync<BridgeException>(() => idle.WaitAsync("s", TimeSpan.FromMilliseconds(200), cancel));
        Assert.AreEqual(ErrorCodes.SignedOut, error.Code);
    }

    [TestMethod]
    public async Task Signing_in_goes_through_the_browser_and_the_loopback_redirect_and_stores_the_tokens()
    {
        CancellationToken cancel = TestContext.CancellationToken;
        using var zoom = new FakeZoom();
        using var http = new HttpClient(zoom);
        var browser = new RedirectingBrowser(zoom);
        var store = new TokenStore(_folder, protector: null);
        var oauth = new ZoomOAuth(http, UserSettings(), store, browser, zoom.Time);

        await oauth.SignInAsync(Patience, cancel);

        Assert.AreEqual(HttpStatusCode.OK, await browser.Landed!);
        Assert.IsTrue(oauth.IsSignedIn);
        Assert.AreEqual("refresh-1", new TokenStore(_folder, protector: null).Current!.RefreshToken);
        Assert.AreEqual("access-1", await oauth.GetAccessTokenAsync(forceRefresh: false, cancel));
        Assert.AreEqual(1, zoom.Issued, "A fresh token is used as it is.");
    }

    [TestMethod]
    public async Task A_browser_start_the_system_refused_for_a_moment_is_tried_again_and_the_sign_in_completes()
    {
        CancellationToken cancel = TestContext.CancellationToken;
        using var zoom = new FakeZoom();
        using var http = new HttpClient(zoom);
        var person = new RedirectingBrowser(zoom);
        int starts = 0;
        var shell = new ShellOpener(
            NullLogger.Instance,
            target =>
            {
                if (++starts == 1)
                {
                    // What Wine's ShellExecuteEx gave in one CI run: winebrowser died before it ran.
                    throw new Win32Exception(ShellOpener.ErrorInternalError);
                }

                person.Open(new Uri(target));
            },
            _ => { });
        var oauth = new ZoomOAuth(http, UserSettings(), new TokenStore(_folder, protector: null), new SystemBrowser(shell), zoom.Time);

        await oauth.SignInAsync(Patience, cancel);

        Assert.AreEqual(2, starts);
        Assert.AreEqual(HttpStatusCode.OK, await person.Landed!);
        Assert.IsTrue(oauth.IsSignedIn);
    }

    [TestMethod]
    public async Task A_browser_that_cannot_be_started_signs_out_with_the_windows_error_and_not_the_address()
    {
        CancellationToken cancel = TestContext.CancellationToken;
        using var zoom = new FakeZoom();
        using var http = new HttpClient(zoom);
        const int NoAssociation = 1155;
        var shell = new ShellOpener(NullLogger.Instance, target => throw new Win32Exception(NoAssociation, target), _ => { });
        var oauth = new ZoomOAuth(http, UserSettings(), new TokenStore(_folder, protector: null), new SystemBrowser(shell), zoom.Time);

        BridgeException error = await Assert.ThrowsExactlyAsync<BridgeException>(() => oauth.SignInAsync(Patience, cancel));

        Assert.AreEqual(ErrorCodes.SignedOut, error.Code);
        StringAssert.StartsWith(error.Message, "The browser could not be opened for Zoom sign-in (error 1155: ");
        Assert.DoesNotContain("code_challenge", error.Message);
        Assert.DoesNotContain("state=", error.Message);
        Assert.IsFalse(oauth.IsSignedIn);
    }

    [TestMethod]
    public async Task A_sign_in_link_with_the_wrong_state_is_refused_and_the_right_one_still_signs_in()
    {
        CancellationToken cancel = TestContext.CancellationToken;
        using var zoom = new FakeZoom();
        using var http = new HttpClient(zoom);
        var browser = new RedirectingBrowser(zoom) { ForgedFirst = true };
        var oauth = new ZoomOAuth(http, UserSettings(), new TokenStore(_folder, protector: null), browser, zoom.Time);

        await oauth.SignInAsync(Patience, cancel);

        Assert.AreEqual(HttpStatusCode.BadRequest, browser.ForgedStatus);
        Assert.AreEqual(HttpStatusCode.OK, await browser.Landed!);
        Assert.AreEqual("access-1", await oauth.GetAccessTokenAsync(forceRefresh: false, cancel));
    }

    [TestMethod]
    public async Task A_declined_sign_in_is_signed_out_and_stores_nothing()
    {
        CancellationToken cancel = TestContext.CancellationToken;
        using var zoom = new FakeZoom();
        using var http = new HttpClient(zoom);
        var store = new TokenStore(_folder, protector: null);
        var oauth = new ZoomOAuth(http, UserSettings(), store, new RedirectingBrowser(zoom) { Decline = true }, zoom.Time);

        BridgeException error = await Assert.ThrowsExactlyAsync<BridgeException>(() => oauth.SignInAsync(Patience, cancel));

        Assert.AreEqual(ErrorCodes.SignedOut, error.Code);
        StringAssert.Contains(error.Message, "access_denied");
        Assert.IsNull(store.Current);
        Assert.IsFalse(oauth.IsSignedIn);
    }

    [TestMethod]
    public async Task The_access_token_is_renewed_five_minutes_before_expiry_and_the_rotated_refresh_token_is_on_disk_first()
    {
        CancellationToken cancel = TestContext.CancellationToken;
        using SignedIn signedIn = await SignInAsync(cancel);
        (FakeZoom zoom, _, ZoomOAuth oauth) = signedIn;

        zoom.Time.Advance(TimeSpan.FromMinutes(54));
        Assert.AreEqual("access-1", await oauth.GetAccessTokenAsync(forceRefresh: false, cancel));
        zoom.Time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        zoom.OnRefresh = () => Assert.AreEqual("refresh-1", new TokenStore(_folder, protector: null).Current!.RefreshToken);
        string renewed = await oauth.GetAccessTokenAsync(forceRefresh: false, cancel);

        Assert.AreEqual("access-2", renewed);
        Assert.AreEqual("refresh-2", new TokenStore(_folder, protector: null).Current!.RefreshToken, "The rotated refresh token is durable by the time the caller has the access token.");
        Assert.AreEqual(1, zoom.RefreshCalls);
    }

    [TestMethod]
    public async Task Concurrent_callers_after_a_401_share_one_refresh()
    {
        CancellationToken cancel = TestContext.CancellationToken;
        using SignedIn signedIn = await SignInAsync(cancel);
        (FakeZoom zoom, _, ZoomOAuth oauth) = signedIn;
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        zoom.HoldRefresh = hold.Task;

        Task<string>[] callers = [.. Enumerable.Range(0, 20).Select(_ => oauth.GetAccessTokenAsync(forceRefresh: true, cancel))];
        await zoom.RefreshArrived.Task.WaitAsync(Patience, cancel);
        hold.SetResult();
        string[] tokens = await Task.WhenAll(callers).WaitAsync(Patience, cancel);

        Assert.AreEqual(1, zoom.RefreshCalls);
        Assert.IsTrue(tokens.All(t => t == "access-2"));
    }

    [TestMethod]
    public async Task A_caller_that_gives_up_does_not_lose_the_rotated_refresh_token()
    {
        CancellationToken cancel = TestContext.CancellationToken;
        using SignedIn signedIn = await SignInAsync(cancel);
        (FakeZoom zoom, _, ZoomOAuth oauth) = signedIn;
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        zoom.HoldRefresh = hold.Task;
        using var impatient = new CancellationTokenSource();

        Task<string> caller = oauth.GetAccessTokenAsync(forceRefresh: true, impatient.Token);
        await zoom.RefreshArrived.Task.WaitAsync(Patience, cancel);
        await impatient.CancelAsync();
        await Assert.ThrowsAsync<OperationCanceledException>(() => caller);
        zoom.Time.Advance(TimeSpan.FromHours(2));
        hold.SetResult();

        Assert.AreEqual("access-2", await oauth.GetAccessTokenAsync(forceRefresh: false, cancel));
        Assert.AreEqual("refresh-2", new TokenStore(_folder, protector: null).Current!.RefreshToken);
    }

    [TestMethod]
    public async Task A_refused_refresh_token_signs_out_with_a_sentence_that_holds_no_token()
    {
        CancellationToken cancel = TestContext.CancellationToken;
        using SignedIn signedIn = await SignInAsync(cancel);
        (FakeZoom zoom, TokenStore store, ZoomOAuth oauth) = signedIn;
        zoom.CurrentRefresh = "revoked elsewhere";

        BridgeException error = await Assert.ThrowsExactlyAsync<BridgeException>(() => oauth.GetAccessTokenAsync(forceRefresh: true, cancel));

        Assert.AreEqual(ErrorCodes.SignedOut, error.Code);
        Assert.IsFalse(error.ToString().Contains("access-", StringComparison.Ordinal) || error.ToString().Contains("refresh-", StringComparison.Ordinal), error.ToString());
        Assert.IsNull(store.Current);
        Assert.IsFalse(oauth.IsSignedIn);
        Assert.AreEqual(ErrorCodes.SignedOut, (await Assert.ThrowsExactlyAsync<BridgeException>(() => oauth.GetAccessTokenAsync(false, cancel))).Code);
    }

    [TestMethod]
    public async Task A_token_service_that_is_down_is_not_available_and_keeps_the_sign_in()
    {
        CancellationToken cancel = TestContext.CancellationToken;
        using SignedIn signedIn = await SignInAsync(cancel);
        (FakeZoom zoom, TokenStore store, ZoomOAuth oauth) = signedIn;
        zoom.Down = true;

        BridgeException error = await Assert.ThrowsExactlyAsync<BridgeException>(() => oauth.GetAccessTokenAsync(forceRefresh: true, cancel));

        Assert.AreEqual(ErrorCodes.NotAvailable, error.Code);
        Assert.AreEqual("refresh-1", store.Current!.RefreshToken);
        zoom.Down = false;
        Assert.AreEqual("access-2", await oauth.GetAccessTokenAsync(forceRefresh: true, cancel));
    }

    [TestMethod]
    public async Task A_refresh_that_cannot_be_stored_does_not_hand_out_the_new_access_token()
    {
        CancellationToken cancel = TestContext.CancellationToken;
        using SignedIn signedIn = await SignInAsync(cancel);
        (FakeZoom zoom, TokenStore store, ZoomOAuth oauth) = signedIn;
        store.StepHook = _ => throw new IOException("disk full");

        BridgeException error = await Assert.ThrowsExactlyAsync<BridgeException>(() => oauth.GetAccessTokenAsync(forceRefresh: true, cancel));

        Assert.AreEqual(ErrorCodes.Internal, error.Code);
        Assert.IsInstanceOfType<IOException>(error.InnerException);

        Assert.AreEqual("access-1", store.Current!.AccessToken);
    }

    [TestMethod]
    public async Task Signing_out_revokes_at_zoom_and_deletes_the_stored_tokens()
    {
        CancellationToken cancel = TestContext.CancellationToken;
        using SignedIn signedIn = await SignInAsync(cancel);
        (FakeZoom zoom, TokenStore store, ZoomOAuth oauth) = signedIn;

        await oauth.SignOutAsync(cancel);

        CollectionAssert.AreEqual(new[] { "refresh-1" }, zoom.Revoked.ToArray());
        Assert.IsFalse(File.Exists(store.FilePath));
        Assert.IsFalse(oauth.IsSignedIn);
        Assert.AreEqual(ErrorCodes.SignedOut, (await Assert.ThrowsExactlyAsync<BridgeException>(() => oauth.GetAccessTokenAsync(false, cancel))).Code);
    }

    [TestMethod]
    public async Task Signing_out_while_zoom_is_down_still_forgets_the_tokens()
    {
        CancellationToken cancel = TestContext.CancellationToken;
        using SignedIn signedIn = await SignInAsync(cancel);
        (FakeZoom zoom, TokenStore store, ZoomOAuth oauth) = signedIn;
        zoom.Unreachable = true;

        await oauth.SignOutAsync(cancel);

        Assert.IsNull(store.Current);
        Assert.IsFalse(File.Exists(store.FilePath));
    }

    [TestMethod]
    public async Task Server_to_server_credentials_fetch_a_token_with_basic_auth_and_store_nothing_on_disk()
    {
        CancellationToken cancel = TestContext.CancellationToken;
        using var zoom = new FakeZoom();
        using var http = new HttpClient(zoom);
        var settings = new ZoomAuthSettings { OAuthBaseUrl = FakeZoom.Base, ClientId = "svc", ClientSecret = "svc-secret", AccountId = "acct 1" };
        var store = new TokenStore(_folder, protector: null);
        var oauth = new ZoomOAuth(http, settings, store, new RedirectingBrowser(zoom), zoom.Time);

        Assert.IsTrue(oauth.IsServerToServer);
        Assert.AreEqual("access-1", await oauth.GetAccessTokenAsync(forceRefresh: false, cancel));
        Assert.AreEqual("access-1", await oauth.GetAccessTokenAsync(forceRefresh: false, cancel));
        zoom.Time.Advance(TimeSpan.FromHours(1));
        Assert.AreEqual("access-2", await oauth.GetAccessTokenAsync(forceRefresh: false, cancel));

        Assert.AreEqual("acct 1", zoom.AccountId);
        Assert.AreEqual("svc:svc-secret", zoom.BasicCredentials);
        Assert.IsNull(store.Current);
        Assert.IsFalse(File.Exists(store.FilePath));
        Assert.AreEqual(0, zoom.RefreshCalls);
    }

    [TestMethod]
    public async Task Wrong_server_to_server_credentials_are_signed_out_with_a_sentence_that_holds_no_secret()
    {
        CancellationToken cancel = TestContext.CancellationToken;
        using var zoom = new FakeZoom();
        using var http = new HttpClient(zoom);
        var settings = new ZoomAuthSettings { OAuthBaseUrl = FakeZoom.Base, ClientId = "svc", ClientSecret = "wrong-secret", AccountId = "acct" };
        var oauth = new ZoomOAuth(http, settings, new TokenStore(_folder, protector: null), new RedirectingBrowser(zoom), zoom.Time);

        BridgeException error = await Assert.ThrowsExactlyAsync<BridgeException>(() => oauth.GetAccessTokenAsync(false, cancel));

        Assert.AreEqual(ErrorCodes.SignedOut, error.Code);
        Assert.IsFalse(error.ToString().Contains("wrong-secret", StringComparison.Ordinal));
    }

    [TestMethod]
    public async Task Against_the_Zoom_emulator_a_person_signs_in_through_the_browser_and_calls_the_API()
    {
        CancellationToken cancel = TestContext.CancellationToken;
        await using ZoomEmulatorServer zoom = await ZoomEmulatorServer.StartAsync();
        using var http = new HttpClient();
        var browser = new FollowingBrowser();
        var oauth = new ZoomOAuth(http, EmulatorSettings(zoom), new TokenStore(_folder, protector: null), browser);

        await oauth.SignInAsync(Patience, cancel);

        Assert.AreEqual(HttpStatusCode.OK, await browser.Landed!, "The emulator's redirect reached the loopback listener with the right state.");
        string access = await oauth.GetAccessTokenAsync(forceRefresh: false, cancel);
        Assert.AreEqual(HttpStatusCode.OK, await GetMeAsync(http, zoom, access, cancel));
        Assert.IsNotNull(new TokenStore(_folder, protector: null).Current!.RefreshToken);
    }

    [TestMethod]
    public async Task Against_the_Zoom_emulator_a_refresh_rotates_and_only_the_stored_newest_refresh_token_works()
    {
        CancellationToken cancel = TestContext.CancellationToken;
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero));
        await using ZoomEmulatorServer zoom = await ZoomEmulatorServer.StartAsync(new EmulatorOptions { TimeProvider = time });
        using var http = new HttpClient();
        var oauth = new ZoomOAuth(http, EmulatorSettings(zoom), new TokenStore(_folder, protector: null), new FollowingBrowser(), time);
        await oauth.SignInAsync(Patience, cancel);
        string firstRefresh = new TokenStore(_folder, protector: null).Current!.RefreshToken!;
        string firstAccess = await oauth.GetAccessTokenAsync(forceRefresh: false, cancel);

        time.Advance(TimeSpan.FromHours(1));
        Assert.AreEqual(HttpStatusCode.Unauthorized, await GetMeAsync(http, zoom, firstAccess, cancel), "An hour later Zoom refuses the first token.");
        string renewed = await oauth.GetAccessTokenAsync(forceRefresh: false, cancel);

        Assert.AreNotEqual(firstAccess, renewed);
        Assert.AreEqual(HttpStatusCode.OK, await GetMeAsync(http, zoom, renewed, cancel));
        string stored = new TokenStore(_folder, protector: null).Current!.RefreshToken!;
        Assert.AreNotEqual(firstRefresh, stored, "The rotated refresh token is on disk.");
        using (var stale = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = firstRefresh, ["client_id"] = zoom.Options.ClientId }))
        using (HttpResponseMessage refused = await http.PostAsync(new Uri(zoom.OAuthBaseUrl, "/oauth/token"), stale, cancel))
        {
            Assert.AreEqual(HttpStatusCode.BadRequest, refused.StatusCode, "Zoom invalidated the previous refresh token.");
        }

        // A restarted agent carries on with what the disk holds.
        var restarted = new ZoomOAuth(http, EmulatorSettings(zoom), new TokenStore(_folder, protector: null), new FollowingBrowser(), time);
        string afterRestart = await restarted.GetAccessTokenAsync(forceRefresh: true, cancel);
        Assert.AreEqual(HttpStatusCode.OK, await GetMeAsync(http, zoom, afterRestart, cancel));
    }

    [TestMethod]
    public async Task Against_the_Zoom_emulator_signing_out_revokes_the_grant_and_forgets_it()
    {
        CancellationToken cancel = TestContext.CancellationToken;
        await using ZoomEmulatorServer zoom = await ZoomEmulatorServer.StartAsync();
        using var http = new HttpClient();
        var store = new TokenStore(_folder, protector: null);
        var oauth = new ZoomOAuth(http, EmulatorSettings(zoom), store, new FollowingBrowser());
        await oauth.SignInAsync(Patience, cancel);
        string access = await oauth.GetAccessTokenAsync(forceRefresh: false, cancel);

        await oauth.SignOutAsync(cancel);

        Assert.IsTrue(zoom.Requests.Any(r => r.Path == "/oauth/revoke" && r.Status == 200));
        Assert.AreEqual(HttpStatusCode.Unauthorized, await GetMeAsync(http, zoom, access, cancel), "Revoking ends the whole grant.");
        Assert.IsFalse(File.Exists(store.FilePath));
        Assert.AreEqual(ErrorCodes.SignedOut, (await Assert.ThrowsExactlyAsync<BridgeException>(() => oauth.GetAccessTokenAsync(false, cancel))).Code);
    }

    [TestMethod]
    public async Task Against_the_Zoom_emulator_account_credentials_give_a_working_token_without_a_browser()
    {
        CancellationToken cancel = TestContext.CancellationToken;
        await using ZoomEmulatorServer zoom = await ZoomEmulatorServer.StartAsync();
        using var http = new HttpClient();
        ZoomAuthSettings settings = EmulatorSettings(zoom);
        settings.ClientSecret = zoom.Options.ClientSecret;
        settings.AccountId = zoom.Options.AccountId;
        var oauth = new ZoomOAuth(http, settings, new TokenStore(_folder, protector: null), new ThrowingBrowser());

        await oauth.SignInAsync(Patience, cancel);
        string access = await oauth.GetAccessTokenAsync(forceRefresh: false, cancel);

        Assert.AreEqual(HttpStatusCode.OK, await GetMeAsync(http, zoom, access, cancel));
        settings.ClientSecret = "not-the-secret";
        BridgeException error = await Assert.ThrowsExactlyAsync<BridgeException>(() => oauth.GetAccessTokenAsync(forceRefresh: true, cancel));
        Assert.AreEqual(ErrorCodes.SignedOut, error.Code);
    }

    private static ZoomAuthSettings EmulatorSettings(ZoomEmulatorServer zoom) => new()
    {
        OAuthBaseUrl = zoom.OAuthBaseUrl.AbsoluteUri,
        ApiBaseUrl = zoom.ApiBaseUrl.AbsoluteUri,
        ClientId = zoom.Options.ClientId,
    };

    private static async Task<HttpStatusCode> GetMeAsync(HttpClient http, ZoomEmulatorServer zoom, string accessToken, CancellationToken cancel)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(zoom.ApiBaseUrl.AbsoluteUri.TrimEnd('/') + "/users/me"));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        using HttpResponseMessage response = await http.SendAsync(request, cancel);
        return response.StatusCode;
    }

    private static ZoomAuthSettings UserSettings() => new() { OAuthBaseUrl = FakeZoom.Base, ClientId = "public-client" };

    private static Dictionary<string, string> Query(Uri url) =>
        url.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => p.Length > 1 ? Uri.UnescapeDataString(p[1]) : string.Empty);

    private static async Task<string> SendRawAsync(int port, string request, CancellationToken cancel)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, cancel);
        NetworkStream stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), cancel);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        return await reader.ReadToEndAsync(cancel);
    }

    private sealed class SimulatedCrashException : Exception
    {
    }

    private sealed class XorProtector : ISecretProtector
    {
        public bool Refuse { get; init; }

        public byte[] Protect(byte[] plain) => [.. plain.Select(b => (byte)(b ^ 0x5A))];

        public byte[] Unprotect(byte[] protectedData) => Refuse ? throw new CryptographicException("not yours") : Protect(protectedData);
    }

    /// <summary>
    /// A browser that does what a person's would: follows the authorize address (here straight to the redirect, as if
    /// the person approved) and makes a real HTTP request to the agent's loopback listener.
    /// </summary>
    private sealed class RedirectingBrowser(FakeZoom zoom) : IBrowser
    {
        public bool ForgedFirst { get; init; }

        public bool Decline { get; init; }

        public HttpStatusCode? ForgedStatus { get; private set; }

        public Task<HttpStatusCode>? Landed { get; private set; }

        public void Open(Uri url)
        {
            Dictionary<string, string> query = Query(url);
            Assert.AreEqual("S256", query["code_challenge_method"]);
            string code = zoom.Authorize(query["client_id"], query["code_challenge"]);
            var redirect = new Uri(query["redirect_uri"]);
            string state = Uri.EscapeDataString(query["state"]);
            Landed = Task.Run(async () =>
            {
                using var http = new HttpClient();
                if (ForgedFirst)
                {
                    using HttpResponseMessage forged = await http.GetAsync(new Uri(redirect, "?code=forged&state=guess"));
                    ForgedStatus = forged.StatusCode;
                }

                string answer = Decline ? "?error=access_denied&state=" + state : "?code=" + code + "&state=" + state;
                using HttpResponseMessage landed = await http.GetAsync(new Uri(redirect, answer));
                return landed.StatusCode;
            });
        }
    }

    /// <summary>A browser that loads the authorize page and follows its redirects, as a person's would after approving.</summary>
    private sealed class FollowingBrowser : IBrowser
    {
        public Task<HttpStatusCode>? Landed { get; private set; }

        public void Open(Uri url) => Landed = Task.Run(async () =>
        {
            using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = true });
            using HttpResponseMessage page = await http.GetAsync(url);
            return page.StatusCode;
        });
    }

    private sealed class ThrowingBrowser : IBrowser
    {
        public void Open(Uri url) => throw new AssertFailedException("Server-to-Server sign-in must not open a browser.");
    }

    /// <summary>Zoom's token endpoints, as the README describes them: PKCE, rotating refresh tokens, revoke, account credentials.</summary>
    /// <summary>A user signed in through the fake token service, as most of these tests begin.</summary>
    private async Task<SignedIn> SignInAsync(CancellationToken cancel)
    {
        var zoom = new FakeZoom();
        var http = new HttpClient(zoom);
        var store = new TokenStore(_folder, protector: null);
        var oauth = new ZoomOAuth(http, UserSettings(), store, new RedirectingBrowser(zoom), zoom.Time);
        await oauth.SignInAsync(Patience, cancel);
        return new SignedIn(zoom, http, store, oauth);
    }

    private sealed class SignedIn(FakeZoom zoom, HttpClient http, TokenStore store, ZoomOAuth oauth) : IDisposable
    {
        public void Deconstruct(out FakeZoom fakeZoom, out TokenStore tokenStore, out ZoomOAuth zoomOAuth) =>
            (fakeZoom, tokenStore, zoomOAuth) = (zoom, store, oauth);

        public void Dispose()
        {
            http.Dispose();
            zoom.Dispose();
        }
    }

    private sealed class FakeZoom : HttpMessageHandler
    {
        public const string Base = "https://oauth.test";

        private readonly ConcurrentDictionary<string, string> _codes = new();
        private int _issued;
        private int _refreshCalls;

        public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero));

        public int Issued => _issued;

        public int RefreshCalls => _refreshCalls;

        public string? CurrentRefresh { get; set; }

        public Task? HoldRefresh { get; set; }

        public TaskCompletionSource RefreshArrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Action? OnRefresh { get; set; }

        public bool Down { get; set; }

        public bool Unreachable { get; set; }

        public ConcurrentQueue<string> Revoked { get; } = new();

        public string? AccountId { get; private set; }

        public string? BasicCredentials { get; private set; }

        public string Authorize(string clientId, string challenge)
        {
            Assert.AreEqual("public-client", clientId);
            string code = "code-" + Guid.NewGuid().ToString("N");
            _codes[code] = challenge;
            return code;
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (Unreachable)
            {
                throw new HttpRequestException("connection refused");
            }

            if (Down)
            {
                return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
            }

            Dictionary<string, string> form = request.Content is null
                ? []
                : Query(new Uri("http://x/?" + (await request.Content.ReadAsStringAsync(cancellationToken)).Replace('+', ' ')));
            Dictionary<string, string> query = Query(request.RequestUri!);
            Assert.AreEqual(HttpMethod.Post, request.Method);
            switch (request.RequestUri!.GetLeftPart(UriPartial.Path))
            {
                case Base + "/oauth/token" when query.GetValueOrDefault("grant_type") == "account_credentials":
                    AccountId = query["account_id"];
                    BasicCredentials = Encoding.UTF8.GetString(Convert.FromBase64String(request.Headers.Authorization!.Parameter!));
                    return BasicCredentials == "svc:svc-secret" ? Issue(withRefresh: false) : Refuse();

                case Base + "/oauth/token" when form["grant_type"] == "authorization_code":
                    Assert.AreEqual("public-client", form["client_id"]);
                    Assert.IsNull(request.Headers.Authorization, "A public client sends no secret.");
                    return _codes.TryRemove(form["code"], out string? challenge) && challenge == Pkce.Challenge(form["code_verifier"])
                        ? Issue(withRefresh: true)
                        : Refuse();

                case Base + "/oauth/token" when form["grant_type"] == "refresh_token":
                    Interlocked.Increment(ref _refreshCalls);
                    OnRefresh?.Invoke();
                    RefreshArrived.TrySetResult();
                    if (HoldRefresh is not null)
                    {
                        await HoldRefresh;
                    }

                    return form["refresh_token"] == CurrentRefresh ? Issue(withRefresh: true) : Refuse();

                case Base + "/oauth/revoke":
                    Revoked.Enqueue(form["token"]);
                    return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{\"status\":\"success\"}") };

                default:
                    return new HttpResponseMessage(HttpStatusCode.NotFound);
            }
        }

        private HttpResponseMessage Issue(bool withRefresh)
        {
            int n = Interlocked.Increment(ref _issued);
            string refresh = withRefresh ? $",\"refresh_token\":\"refresh-{n}\"" : string.Empty;
            if (withRefresh)
            {
                // Rotation: only the newest refresh token works from now on.
                CurrentRefresh = "refresh-" + n;
            }

            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent($"{{\"access_token\":\"access-{n}\",\"token_type\":\"bearer\",\"expires_in\":3600{refresh},\"scope\":\"meeting:write\"}}", Encoding.UTF8, "application/json"),
            };
        }

        private static HttpResponseMessage Refuse() => new(HttpStatusCode.BadRequest)
        {
            Content = new StringContent("{\"reason\":\"Invalid Token!\",\"error\":\"invalid_grant\"}", Encoding.UTF8, "application/json"),
        };
    }
}
