using System;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;

namespace ZoomEmulator.Tests;

internal static class Http
{
    /// <summary>A fresh client (fresh connection pool) that sends the token and does not follow redirects.</summary>
    public static HttpClient Client(ZoomEmulatorServer server, string? token)
    {
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(server.ApiBaseUrl + "/"),
        };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    public static Task<HttpResponseMessage> PatchAsync(HttpClient client, string path, string json) =>
        client.PatchAsync(new Uri(path, UriKind.Relative), Json(json));

    public static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, string json) =>
        client.PostAsync(new Uri(path, UriKind.Relative), Json(json));

    public static Task<HttpResponseMessage> GetAsync(HttpClient client, string path) =>
        client.GetAsync(new Uri(path, UriKind.Relative));

    public static Task<HttpResponseMessage> DeleteAsync(HttpClient client, string path) =>
        client.DeleteAsync(new Uri(path, UriKind.Relative));
}
