using System;
using System.Diagnostics;
using System.IO;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Cli;
using ClientBridge.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace ClientBridge.Tests;

/// <summary><c>links</c>: text on standard input, the join links it holds on standard output, no agent needed.</summary>
[TestClass]
public sealed class LinksCommandTests
{
    private const string Invitation = """
        Join Zoom Meeting
        https://us06web.zoom.us/j/85746352413?pwd=QkF3dGZXcU1yT2Zq

        Meeting ID: 857 4635 2413
        Passcode: 7kQ2xZ

        One tap mobile
        +13092053325,,85746352413#,,,,*482913# US

        Backup room: https://meet.jit.si/AcmeBackupRoom
        """;

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Prints_one_line_per_link_best_first()
    {
        var (code, output, _) = await RunInProcessAsync(Invitation, json: false);

        Assert.AreEqual(ExitCodes.Ok, code);
        string[] lines = output.TrimEnd().Split(Environment.NewLine);
        Assert.HasCount(2, lines);
        Assert.AreEqual("Zoom\thttps://us06web.zoom.us/j/85746352413?pwd=QkF3dGZXcU1yT2Zq\tid 85746352413\tpasscode 7kQ2xZ\tdial-in +13092053325,,85746352413#,,,,*482913#", lines[0]);
        Assert.AreEqual("Jitsi\thttps://meet.jit.si/AcmeBackupRoom\tid -\tpasscode -", lines[1]);
    }

    [TestMethod]
    public async Task Json_is_an_array_with_nulls_for_absent_details()
    {
        var (code, output, _) = await RunInProcessAsync(Invitation, json: true);

        Assert.AreEqual(ExitCodes.Ok, code);
        using JsonDocument document = JsonDocument.Parse(output);
        JsonElement[] links = [.. document.RootElement.EnumerateArray()];
        Assert.HasCount(2, links);
        Assert.AreEqual("Zoom", links[0].GetProperty("service").GetString());
        Assert.AreEqual("85746352413", links[0].GetProperty("meetingId").GetString());
        Assert.AreEqual("7kQ2xZ", links[0].GetProperty("passcode").GetString());
        Assert.AreEqual("+13092053325,,85746352413#,,,,*482913#", links[0].GetProperty("dialIns")[0].GetString());
        Assert.AreEqual("https://meet.jit.si/AcmeBackupRoom", links[1].GetProperty("url").GetString());
        Assert.AreEqual(JsonValueKind.Null, links[1].GetProperty("meetingId").ValueKind);
        Assert.AreEqual(JsonValueKind.Null, links[1].GetProperty("passcode").ValueKind);
    }

    [TestMethod]
    public async Task No_link_is_not_an_error()
    {
        var (code, output, _) = await RunInProcessAsync("Lunch at noon. https://www.example.com/menu", json: false);
        var (jsonCode, json, _) = await RunInProcessAsync("Lunch at noon.", json: true);

        Assert.AreEqual(ExitCodes.Ok, code);
        Assert.AreEqual("No meeting link found.", output.Trim());
        Assert.AreEqual(ExitCodes.Ok, jsonCode);
        Assert.AreEqual("[]", json.Trim());
    }

    [TestMethod]
    public async Task The_location_ranks_before_the_body()
    {
        using var input = new StringReader(Invitation);
        using var output = new StringWriter();
        using var error = new StringWriter();

        int code = await LinksCommand.ExecuteAsync(input, "Room 4 / https://whereby.com/acme", json: false, output, error, TestContext.CancellationToken);

        Assert.AreEqual(ExitCodes.Ok, code);
        StringAssert.StartsWith(output.ToString(), "Whereby\thttps://whereby.com/acme\t");
    }

    [TestMethod]
    public async Task Input_larger_than_any_invitation_is_refused_with_2()
    {
        var (code, _, error) = await RunInProcessAsync(new string('x', LinksCommand.MaxInputChars + 1), json: false);

        Assert.AreEqual(ExitCodes.Usage, code);
        StringAssert.Contains(error, "larger than");
    }

    [TestMethod]
    public async Task The_executable_reads_standard_input_without_an_agent()
    {
        var (code, output, error) = await RunProcessAsync(Invitation, "links", "--json");

        Assert.AreEqual(ExitCodes.Ok, code, error);
        using JsonDocument document = JsonDocument.Parse(output);
        Assert.AreEqual("Zoom", document.RootElement[0].GetProperty("service").GetString());

        var (usage, _, usageError) = await RunProcessAsync(string.Empty, "links", "--no-such-option");
        Assert.AreEqual(ExitCodes.Usage, usage, usageError);
    }

    private async Task<(int Code, string Output, string Error)> RunInProcessAsync(string text, bool json)
    {
        using var input = new StringReader(text);
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await LinksCommand.ExecuteAsync(input, null, json, output, error, TestContext.CancellationToken);
        return (code, output.ToString(), error.ToString());
    }

    private async Task<(int Code, string Output, string Error)> RunProcessAsync(string stdin, params string[] args)
    {
        var start = new ProcessStartInfo(AgentProcess.ExecutablePath)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("ClientBridge did not start.");
        Task<string> output = process.StandardOutput.ReadToEndAsync(TestContext.CancellationToken);
        Task<string> error = process.StandardError.ReadToEndAsync(TestContext.CancellationToken);
        await process.StandardInput.WriteAsync(stdin.AsMemory(), TestContext.CancellationToken);
        process.StandardInput.Close();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.CancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output, await error);
    }
}
