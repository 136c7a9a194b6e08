using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Protocol;

namespace ClientBridge.Providers.Zoom;

/// <summary>
/// Zoom sign-in and the access token every API call needs. A person signs in with the authorization code flow and
/// PKCE in the system browser, redirected to a loopback listener (RFC 8252); an organisation's service account uses
/// Server-to-Server OAuth (<c>account_credentials</c>) when <see cref="ZoomAuthSettings.ClientSecret"/> and
/// <see cref="ZoomAuthSettings.AccountId"/> are set. Tokens never appear in a log or an exception message.
/// </summary>
public sealed class ZoomOAuth
{

    public static readonly TimeSpan DefaultSignInTimeout = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(1);
    private static readonly TimeSpan RevokeTimeout = TimeSpan.FromSeconds(10);
    private static readonly SearchValues<char> ErrorWordChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyz_");

    private readonly HttpClient _http;
    private readonly ZoomAuthSettings _settings;
    private readonly TokenStore _store;
    private readonly IBrowser _browser;
    private readonly TimeProvider _time;
    private readonly object _gate = new();

    /// <summary>The renewal every concurrent caller shares; null or completed when none is running.</summary>
    private Task<ZoomTokens>? _renewal;

    /// <summary>Bumped by sign-in and sign-out, so a renewal that started before them does not write over their result.</summary>
    private int _generation;

    /// <summary>Server-to-Server tokens: memory only, since the credentials fetch a new one at any time.</summary>
    private ZoomTokens? _serviceTokens;

    public ZoomOAuth(HttpClient http, ZoomAuthSettings settings, TokenStore store, IBrowser browser, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(browser);
        _http = http;
        _settings = settings;
        _store = store;
        _browser = browser;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>How long before its expiry an access token is renewed.</summary>
    public TimeSpan RenewBeforeExpiry { get; set; } = TimeSpan.FromMinutes(5);

    public bool IsServerToServer => _settings.IsServerToServer;

    /// <summary>True when an access token can be had without a browser: service credentials, or a stored refresh token.</summary>
    public bool IsSignedIn => IsServerToServer || _store.Current?.RefreshToken is not null || IsFresh(_store.Current);

    /// <summary>The authorize address for one sign-in: code flow, PKCE S256, and the state the redirect must bring back.</summary>
    public static Uri BuildAuthorizeUrl(ZoomAuthSettings settings, Uri redirectUri, string state, string codeChallenge)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(redirectUri);
        ArgumentException.ThrowIfNullOrEmpty(state);
        ArgumentException.ThrowIfNullOrEmpty(codeChallenge);
        string query = string.Join('&', new[]
        {
            "response_type=code",
            "client_id=" + Uri.EscapeDataString(RequireClientId(settings)),
            "redirect_uri=" + Uri.EscapeDataString(redirectUri.AbsoluteUri),
            "state=" + Uri.EscapeDataString(state),
            "code_challenge=" + Uri.EscapeDataString(codeChallenge),
            "code_challenge_method=S256",
        });
        return new Uri(OAuthAddress(settings, "authorize") + "?" + query);
    }

    /// <summary>
    /// Signs the person in: opens the authorize page in the browser, waits for the loopback redirect with the right
    /// state, exchanges the code (with the PKCE verifier) for tokens and stores them durably. With Server-to-Server
    /// credentials it fetches a token instead, which checks them.
    /// </summary>
    public async Task SignInAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (IsServerToServer)
        {
            await GetAccessTokenAsync(forceRefresh: true, cancellationToken).ConfigureAwait(false);
            return;
        }

        string verifier = Pkce.CreateVerifier();
        string state = Pkce.CreateState();
        using LoopbackRedirectListener listener = LoopbackRedirectListener.Start();
        Uri authorize = BuildAuthorizeUrl(_settings, listener.RedirectUri, state, Pkce.Challenge(verifier));
        try
        {
            _browser.Open(authorize);
        }
        catch (Desktop.ShellOpenException e)
        {
            throw new BridgeException(ErrorCodes.SignedOut, $"The browser could not be opened for Zoom sign-in ({e.Message}).", e);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new BridgeException(ErrorCodes.SignedOut, "The browser could not be opened for Zoom sign-in.", e);
        }

        // The socket listens already, so a browser that is quick to redirect waits in its backlog.
        AuthorizationResponse response = await listener.WaitAsync(state, timeout, cancellationToken).ConfigureAwait(false);
        if (response.Code is null)
        {
            throw new BridgeException(ErrorCodes.SignedOut, $"Zoom sign-in was not completed ({SafeWord(response.Error)}).");
        }

        int generation = Interlocked.Increment(ref _generation);
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = response.Code,
            ["redirect_uri"] = listener.RedirectUri.AbsoluteUri,
            ["code_verifier"] = verifier,
            ["client_id"] = RequireClientId(_settings),
        };
        ZoomTokens tokens = await RequestTokensAsync(NewTokenRequest(form), "sign in", previousRefreshToken: null, cancellationToken).ConfigureAwait(false);
        if (tokens.RefreshToken is null)
        {
            throw new BridgeException(ErrorCodes.SignedOut, "Zoom signed in without a refresh token, so the sign-in cannot be kept; sign in again.");
        }

        lock (_gate)
        {
            if (generation == _generation)
            {
                Persist(tokens);
            }
        }
    }

    /// <summary>
    /// The access token to call the API with: the stored one while it has more than <see cref="RenewBeforeExpiry"/>
    /// left, otherwise a renewed one. Pass <paramref name="forceRefresh"/> once after the API answered 401. Concurrent
    /// callers share a single renewal; cancelling stops only this caller's wait, never a renewal under way (its new
    /// refresh token must reach the disk).
    /// </summary>
    public async Task<string> GetAccessTokenAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        ZoomTokens? seen = CurrentTokens();
        if (!forceRefresh && IsFresh(seen))
        {
            return seen!.AccessToken;
        }

        Task<ZoomTokens> renewal;
        lock (_gate)
        {
            ZoomTokens? now = CurrentTokens();
            if (IsFresh(now) && (!forceRefresh || !ReferenceEquals(now, seen)))
            {
                // Fresh, or renewed by someone else since this caller looked (so it is not the token that got the 401).
                return now!.AccessToken;
            }

            if (_renewal is null || _renewal.IsCompleted)
            {
                int generation = _generation;
                _renewal = Task.Run(() => RenewAsync(generation), CancellationToken.None);
            }

            renewal = _renewal;
        }

        ZoomTokens fresh = await renewal.WaitAsync(cancellationToken).ConfigureAwait(false);
        return fresh.AccessToken;
    }

    /// <summary>Revokes the sign-in at Zoom (best effort: sign-out succeeds offline too) and deletes the stored tokens.</summary>
    public async Task SignOutAsync(CancellationToken cancellationToken)
    {
        Task<ZoomTokens>? running;
        ZoomTokens? tokens;
        lock (_gate)
        {
            Interlocked.Increment(ref _generation);
            running = _renewal;
        }

        if (running is not null)
        {
            // Let a renewal finish, so the token revoked is the newest one.
            try
            {
                await running.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (BridgeException)
            {
            }
        }

        lock (_gate)
        {
            Interlocked.Increment(ref _generation);
            tokens = CurrentTokens();
            _serviceTokens = null;
            _store.Clear();
        }

        string? token = tokens?.RefreshToken ?? tokens?.AccessToken;
        if (token is null)
        {
            return;
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(RevokeTimeout);
        try
        {
            var form = new Dictionary<string, string> { ["token"] = token };
            if (!IsServerToServer)
            {
                form["client_id"] = RequireClientId(_settings);
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, OAuthAddress(_settings, "revoke")) { Content = new FormUrlEncodedContent(form) };
            AddBasicCredentials(request);
            using HttpResponseMessage response = await _http.SendAsync(request, limit.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            // Best effort: the tokens are gone from this machine; an unrevoked one expires on its own.
        }
    }

    private ZoomTokens? CurrentTokens() => IsServerToServer ? _serviceTokens : _store.Current;

    private bool IsFresh(ZoomTokens? tokens) =>
        tokens is not null && _time.GetUtcNow() < tokens.ExpiresAt - RenewBeforeExpiry;

    private async Task<ZoomTokens> RenewAsync(int generation)
    {
        if (IsServerToServer)
        {
            string query = "?grant_type=account_credentials&account_id=" + Uri.EscapeDataString(_settings.AccountId!);
            using var request = new HttpRequestMessage(HttpMethod.Post, OAuthAddress(_settings, "token") + query);
            AddBasicCredentials(request);
            ZoomTokens service = await RequestTokensAsync(request, "get a token with the account credentials", previousRefreshToken: null, CancellationToken.None).ConfigureAwait(false);
            lock (_gate)
            {
                if (generation == _generation)
                {
                    _serviceTokens = service with { RefreshToken = null };
                }
            }

            return service;
        }

        ZoomTokens? current = _store.Current;
        if (current?.RefreshToken is null)
        {
            throw new BridgeException(ErrorCodes.SignedOut, "Not signed in to Zoom; sign in first.");
        }

        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = current.RefreshToken,
            ["client_id"] = RequireClientId(_settings),
        };
        ZoomTokens renewed;
        try
        {
            // Not cancellable: once Zoom has issued the next refresh token, the old one is dead, so the answer must be read and stored.
            renewed = await RequestTokensAsync(NewTokenRequest(form), "renew the sign-in", current.RefreshToken, CancellationToken.None).ConfigureAwait(false);
        }
        catch (BridgeException e) when (e.Code == ErrorCodes.SignedOut)
        {
            lock (_gate)
            {
                // Zoom refused this refresh token: it is dead, so forget it (unless a new sign-in replaced it meanwhile).
                if (generation == _generation && _store.Current?.RefreshToken == current.RefreshToken)
                {
                    _store.Clear();
                }
            }

            throw;
        }

        lock (_gate)
        {
            // Durable before anyone gets the new access token: see TokenStore.Save for why a crash cannot lose the sign-in.
            if (generation == _generation)
            {
                Persist(renewed);
            }
        }

        return renewed;
    }

    /// <summary>
    /// Saves durably or throws, so no caller gets an access token whose refresh token is not on disk. When the disk
    /// refuses after a rotation the new refresh token is lost with this process and the person must sign in again:
    /// the price of never using a sign-in that a restart would not have.
    /// </summary>
    private void Persist(ZoomTokens tokens)
    {
        try
        {
            _store.Save(tokens);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new BridgeException(ErrorCodes.Internal, "The Zoom sign-in could not be saved in the agent's state folder; check the disk and sign in again.", e);
        }
    }

    private HttpRequestMessage NewTokenRequest(Dictionary<string, string> form)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, OAuthAddress(_settings, "token")) { Content = new FormUrlEncodedContent(form) };
        AddBasicCredentials(request);
        return request;
    }

    private void AddBasicCredentials(HttpRequestMessage request)
    {
        if (IsServerToServer)
        {
            string pair = RequireClientId(_settings) + ":" + _settings.ClientSecret;
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
        }
    }

    /// <summary>Sends a token request and reads the answer. Messages say what failed, never with a token or the body in them.</summary>
    private async Task<ZoomTokens> RequestTokensAsync(HttpRequestMessage request, string doing, string? previousRefreshToken, CancellationToken cancellationToken)
    {
        using (request)
        {
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                throw new BridgeException(ErrorCodes.NotAvailable, $"Zoom could not be reached to {doing}; check the network and try again.", e);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new BridgeException(ErrorCodes.NotAvailable, $"Zoom did not answer in time to {doing}; try again.", e);
            }

            using (response)
            {
                if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                {
                    string what = IsServerToServer
                        ? "Zoom refused the account credentials (client id, secret or account id)"
                        : "Zoom refused the sign-in";
                    throw new BridgeException(ErrorCodes.SignedOut, $"{what} when trying to {doing} (HTTP {(int)response.StatusCode}); sign in again.");
                }

                if (!response.IsSuccessStatusCode)
                {
                    throw new BridgeException(ErrorCodes.NotAvailable, $"Zoom's sign-in service answered HTTP {(int)response.StatusCode} when trying to {doing}; try again later.");
                }

                byte[] body = await response.Content.ReadAsByteArrayAsync(CancellationToken.None).ConfigureAwait(false);
                return ParseTokens(body, previousRefreshToken, doing);
            }
        }
    }

    private ZoomTokens ParseTokens(byte[] body, string? previousRefreshToken, string doing)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            JsonElement root = document.RootElement;
            string? access = root.TryGetProperty("access_token", out JsonElement a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
            if (string.IsNullOrEmpty(access))
            {
                throw new BridgeException(ErrorCodes.NotAvailable, $"Zoom answered without an access token when trying to {doing}.");
            }

            string? refresh = root.TryGetProperty("refresh_token", out JsonElement r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
            TimeSpan lifetime = DefaultLifetime;
            if (root.TryGetProperty("expires_in", out JsonElement e))
            {
                if (e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out long seconds) && seconds > 0)
                {
                    lifetime = TimeSpan.FromSeconds(seconds);
                }
                else if (e.ValueKind == JsonValueKind.String && long.TryParse(e.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out long text) && text > 0)
                {
                    lifetime = TimeSpan.FromSeconds(text);
                }
            }

            // A refresh that returns no refresh token leaves the old one valid.
            return new ZoomTokens(access, _time.GetUtcNow() + lifetime, string.IsNullOrEmpty(refresh) ? previousRefreshToken : refresh);
        }
        catch (JsonException e)
        {
            throw new BridgeException(ErrorCodes.NotAvailable, $"Zoom answered with something that is not a token when trying to {doing}.", e);
        }
    }

    private static string RequireClientId(ZoomAuthSettings settings) =>
        string.IsNullOrWhiteSpace(settings.ClientId)
            ? throw new BridgeException(ErrorCodes.NotAvailable, "No Zoom client id is configured (setting ClientBridge:Zoom:ClientId).")
            : settings.ClientId;

    private static string OAuthAddress(ZoomAuthSettings settings, string endpoint) =>
        settings.OAuthBaseUrl.TrimEnd('/') + "/oauth/" + endpoint;

    /// <summary>The error word from the redirect, only when it looks like an OAuth error code (it comes from the address bar).</summary>
    private static string SafeWord(string? error) =>
        error is { Length: > 0 and <= 64 } && error.AsSpan().IndexOfAnyExcept(ErrorWordChars) < 0 ? error : "no code returned";
}
