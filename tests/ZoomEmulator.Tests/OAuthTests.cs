using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace ZoomEmulator.Tests;

[TestClass]
public sealed class OAuthTests
{
    private const string RedirectUri = "http://127.0.0.1:53682/callback";
    private const string Verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-emulator-verifier";

    [TestMethod]
    public async Task Code_with_pkce_is_exchanged_for_tokens_that_work()
    {
        await using var server = await ZoomEmulatorServer.StartAsync();
        using var browser = NewBrowser();

        var code = await AuthorizeAsync(server, browser, "xyz-state");
        using var exchanged = await TokenAsync(server, browser, new()
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = RedirectUri,
            ["code_verifier"] = Verifier, ["client_id"] = server.Options.ClientId,
        });

        Assert.AreEqual(HttpStatusCode.OK, exchanged.StatusCode);
        var tokens = await Http.ReadJsonAsync(exchanged);
        Assert.AreEqual("bearer", tokens.GetProperty("token_type").GetString());
        Assert.AreEqual(3600, tokens.GetProperty("expires_in").GetInt32());
        Assert.IsFalse(string.IsNullOrEmpty(tokens.GetProperty("refresh_token").GetString()));
        Assert.AreEqual(server.Options.Scope, tokens.GetProperty("scope").GetString());
        using var api = Http.Client(server, tokens.GetProperty("access_token").GetString());
        using var me = await Http.GetAsync(api, "users/me");
        Assert.AreEqual(HttpStatusCode.OK, me.StatusCode);

        using var reused = await TokenAsync(server, browser, new()
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = RedirectUri, ["code_verifier"] = Verifier,
        });
        Assert.AreEqual(HttpStatusCode.BadRequest, reused.StatusCode, "codes are single use");
    }

    [TestMethod]
    public async Task A_wrong_verifier_or_redirect_uri_fails_and_burns_the_code()
    {
        await using var server = await ZoomEmulatorServer.StartAsync();
        using var browser = NewBrowser();

        var code = await AuthorizeAsync(server, browser, "s");
        using var wrong = await TokenAsync(server, browser, new()
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = RedirectUri, ["code_verifier"] = Verifier + "x",
        });
        Assert.AreEqual(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.AreEqual("invalid_grant", (await Http.ReadJsonAsync(wrong)).GetProperty("error").GetString());

        var second = await AuthorizeAsync(server, browser, "s");
        using var otherRedirect = await TokenAsync(server, browser, new()
        {
            ["grant_type"] = "authorization_code", ["code"] = second, ["redirect_uri"] = RedirectUri + "/other", ["code_verifier"] = Verifier,
        });
        Assert.AreEqual(HttpStatusCode.BadRequest, otherRedirect.StatusCode);
    }

    [TestMethod]
    public async Task A_code_expires_after_five_minutes()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
        await using var server = await ZoomEmulatorServer.StartAsync(new EmulatorOptions { TimeProvider = clock });
        using var browser = NewBrowser();

        var code = await AuthorizeAsync(server, browser, "s");
        clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        using var late = await TokenAsync(server, browser, new()
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = RedirectUri, ["code_verifier"] = Verifier,
        });
        Assert.AreEqual(HttpStatusCode.BadRequest, late.StatusCode);
    }

    [TestMethod]
    public async Task Refresh_rotates_and_the_old_refresh_token_is_dead()
    {
        await using var server = await ZoomEmulatorServer.StartAsync();
        using var browser = NewBrowser();
        var first = await ExchangeAsync(server, browser);
        var oldRefresh = first.GetProperty("refresh_token").GetString()!;

        using var refreshed = await TokenAsync(server, browser, new() { ["grant_type"] = "refresh_token", ["refresh_token"] = oldRefresh }, basic: true);
        Assert.AreEqual(HttpStatusCode.OK, refreshed.StatusCode);
        var second = await Http.ReadJsonAsync(refreshed);
        var newRefresh = second.GetProperty("refresh_token").GetString()!;
        Assert.AreNotEqual(oldRefresh, newRefresh);

        using var reuse = await TokenAsync(server, browser, new() { ["grant_type"] = "refresh_token", ["refresh_token"] = oldRefresh }, basic: true);
        Assert.AreEqual(HttpStatusCode.BadRequest, reuse.StatusCode);
        var error = await Http.ReadJsonAsync(reuse);
        Assert.AreEqual("Invalid Token!", error.GetProperty("reason").GetString());
        Assert.AreEqual("invalid_grant", error.GetProperty("error").GetString());

        using var next = await TokenAsync(server, browser, new() { ["grant_type"] = "refresh_token", ["refresh_token"] = newRefresh }, basic: true);
        Assert.AreEqual(HttpStatusCode.OK, next.StatusCode);
    }

    [TestMethod]
    public async Task Revoke_ends_the_access_and_refresh_tokens()
    {
        await using var server = await ZoomEmulatorServer.StartAsync();
        using var browser = NewBrowser();
        var tokens = await ExchangeAsync(server, browser);
        var access = tokens.GetProperty("access_token").GetString()!;

        using (var revoked = await PostFormAsync(browser, new Uri(server.OAuthBaseUrl, "/oauth/revoke"), new() { ["token"] = access }, server, basic: true))
        {
            Assert.AreEqual(HttpStatusCode.OK, revoked.StatusCode);
        }

        using var api = Http.Client(server, access);
        using var me = await Http.GetAsync(api, "users/me");
        Assert.AreEqual(HttpStatusCode.Unauthorized, me.StatusCode);
        using var refresh = await TokenAsync(server, browser, new() { ["grant_type"] = "refresh_token", ["refresh_token"] = tokens.GetProperty("refresh_token").GetString()! });
        Assert.AreEqual(HttpStatusCode.BadRequest, refresh.StatusCode);
    }

    [TestMethod]
    public async Task Server_to_server_account_credentials_give_an_access_token_only()
    {
        var options = new EmulatorOptions { ClientId = "s2s-id", ClientSecret = "s2s-secret", AccountId = "acct-42" };
        await using var server = await ZoomEmulatorServer.StartAsync(options);
        using var browser = NewBrowser();

        using var ok = await PostFormAsync(browser, new Uri(server.OAuthBaseUrl, "/oauth/token?grant_type=account_credentials&account_id=acct-42"), [], server, basic: true);
        Assert.AreEqual(HttpStatusCode.OK, ok.StatusCode);
        var tokens = await Http.ReadJsonAsync(ok);
        Assert.IsFalse(tokens.TryGetProperty("refresh_token", out _));
        using var api = Http.Client(server, tokens.GetProperty("access_token").GetString());
        using var me = await Http.GetAsync(api, "users/me");
        Assert.AreEqual(HttpStatusCode.OK, me.StatusCode);

        options.ClientSecret = "changed";
        using var wrongSecret = await PostFormAsync(browser, new Uri(server.OAuthBaseUrl, "/oauth/token?grant_type=account_credentials&account_id=acct-42"), [], server, basic: true, secret: "s2s-secret");
        Assert.AreEqual(HttpStatusCode.Unauthorized, wrongSecret.StatusCode);
    }

    private static HttpClient NewBrowser() => new(new SocketsHttpHandler { AllowAutoRedirect = false });

    private static string Challenge(string verifier) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static async Task<string> AuthorizeAsync(ZoomEmulatorServer server, HttpClient browser, string state)
    {
        var url = new Uri(server.OAuthBaseUrl,
            $"/oauth/authorize?response_type=code&client_id={server.Options.ClientId}&redirect_uri={Uri.EscapeDataString(RedirectUri)}" +
            $"&state={state}&code_challenge={Challenge(Verifier)}&code_challenge_method=S256");
        using var response = await browser.GetAsync(url);
        Assert.AreEqual(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        StringAssert.StartsWith(location.ToString(), RedirectUri + "?code=");
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(location.Query);
        Assert.AreEqual(state, query["state"].ToString());
        return query["code"].ToString();
    }

    private static async Task<JsonElement> ExchangeAsync(ZoomEmulatorServer server, HttpClient browser)
    {
        var code = await AuthorizeAsync(server, browser, "s");
        using var response = await TokenAsync(server, browser, new()
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = RedirectUri, ["code_verifier"] = Verifier,
        });
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        return await Http.ReadJsonAsync(response);
    }

    private static Task<HttpResponseMessage> TokenAsync(ZoomEmulatorServer server, HttpClient browser, Dictionary<string, string> form, bool basic = false) =>
        PostFormAsync(browser, new Uri(server.OAuthBaseUrl, "/oauth/token"), form, server, basic);

    private static async Task<HttpResponseMessage> PostFormAsync(
        HttpClient browser, Uri url, Dictionary<string, string> form, ZoomEmulatorServer server, bool basic, string? secret = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        if (basic)
        {
            var pair = $"{server.Options.ClientId}:{secret ?? server.Options.ClientSecret}";
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
        }

        return await browser.SendAsync(request);
    }
}
