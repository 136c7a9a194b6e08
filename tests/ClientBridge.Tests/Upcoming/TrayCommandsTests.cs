using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Protocol;
using ClientBridge.Providers;
using ClientBridge.Scheduling;
using ClientBridge.Server;
using ClientBridge.Upcoming;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace ClientBridge.Tests.Upcoming;

/// <summary>The tray's commands with a fake desktop: what would be opened and shown, never a stack trace.</summary>
[TestClass]
public sealed class TrayCommandsTests : IDisposable
{
    private static readonly DateTimeOffset Nine = new(2026, 3, 10, 9, 0, 0, TimeSpan.FromHours(1));

    private readonly string _state = Path.Combine(Path.GetTempPath(), "cbt-tray-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly FakeShell _shell = new();
    private readonly FakeSignIn _zoom = new();
    private readonly MeetingJournal _journal;
    private int _quits;

    public TrayCommandsTests() => _journal = new MeetingJournal(_state);

    public void Dispose()
    {
        _journal.Dispose();
        if (Directory.Exists(_state))
        {
            Directory.Delete(_state, recursive: true);
        }
    }

    [TestMethod]
    public async Task Schedule_now_makes_a_meeting_with_the_default_provider_and_opens_its_link()
    {
        await Commands().PerformAsync(Entry(MenuCommands.ScheduleNow, "jitsi"));

        Assert.HasCount(1, _shell.Opened);
        StringAssert.StartsWith(_shell.Opened[0], "https://");
        Assert.IsEmpty(_shell.Messages);
    }

    [TestMethod]
    public async Task Schedule_now_twice_makes_two_meetings()
    {
        TrayCommands commands = Commands();
        await commands.PerformAsync(Entry(MenuCommands.ScheduleNow, null));
        await commands.PerformAsync(Entry(MenuCommands.ScheduleNow, null));

        Assert.HasCount(2, _shell.Opened);
        Assert.AreNotEqual(_shell.Opened[0], _shell.Opened[1], "Each click is a fresh request id, so a new meeting.");
    }

    [TestMethod]
    public async Task Sign_in_and_out_go_to_the_named_provider()
    {
        TrayCommands commands = Commands();
        await commands.PerformAsync(Entry(MenuCommands.SignIn, "zoom"));
        await commands.PerformAsync(Entry(MenuCommands.SignOut, "ZOOM"));

        CollectionAssert.AreEqual(new[] { "in", "out" }, _zoom.Calls);
        Assert.IsEmpty(_shell.Messages);
    }

    [TestMethod]
    public async Task A_failed_sign_in_is_one_sentence_not_a_stack_trace()
    {
        _zoom.Failure = new BridgeException(ErrorCodes.Internal, "Zoom did not answer in time.\n   at Something.Deep()");

        await Commands().PerformAsync(Entry(MenuCommands.SignIn, "zoom"));

        Assert.HasCount(1, _shell.Messages);
        Assert.IsTrue(_shell.Messages[0].IsError);
        Assert.AreEqual("Zoom did not answer in time.", _shell.Messages[0].Text);
    }

    [TestMethod]
    public async Task An_unexpected_failure_says_what_failed_without_its_message()
    {
        _zoom.Failure = new InvalidOperationException("secret internals");

        await Commands().PerformAsync(Entry(MenuCommands.SignOut, "zoom"));

        Assert.HasCount(1, _shell.Messages);
        Assert.DoesNotContain("secret", _shell.Messages[0].Text);
        Assert.DoesNotContain("   at ", _shell.Messages[0].Text);
    }

    [TestMethod]
    public async Task Sign_in_to_an_unknown_provider_is_shown_not_thrown()
    {
        await Commands().PerformAsync(Entry(MenuCommands.SignIn, "nope"));

        Assert.HasCount(1, _shell.Messages);
        Assert.IsEmpty(_zoom.Calls);
    }

    [TestMethod]
    public async Task Open_the_log_folder_opens_it()
    {
        string logs = Path.Combine(_state, "logs");
        await Commands(logs).PerformAsync(Entry(MenuCommands.OpenLogFolder, null));

        CollectionAssert.AreEqual(new[] { logs }, _shell.Opened);
        Assert.IsTrue(Directory.Exists(logs));
    }

    [TestMethod]
    public async Task About_shows_the_name_and_version()
    {
        await Commands().PerformAsync(Entry(MenuCommands.About, null));

        Assert.HasCount(1, _shell.Messages);
        Assert.IsFalse(_shell.Messages[0].IsError);
        StringAssert.StartsWith(_shell.Messages[0].Text, "ClientBridge " + AgentInfo.CurrentVersion);
    }

    [TestMethod]
    public async Task Join_opens_web_links_and_refuses_files()
    {
        TrayCommands commands = Commands();
        await commands.PerformAsync(Entry(MenuCommands.Join, "https://meet.example.org/abc"));
        await commands.PerformAsync(Entry(MenuCommands.Join, "file:///C:/Windows/System32/calc.exe"));
        await commands.PerformAsync(Entry(MenuCommands.Join, @"\\server\share\x.exe"));

        CollectionAssert.AreEqual(new[] { "https://meet.example.org/abc" }, _shell.Opened);
        Assert.HasCount(2, _shell.Messages);
    }

    [TestMethod]
    public async Task Quit_quits()
    {
        await Commands().PerformAsync(Entry(MenuCommands.Quit, null));

        Assert.AreEqual(1, _quits);
    }

    private static MenuEntry Entry(string command, string? argument) => new() { Label = command, Enabled = true, Command = command, Argument = argument };

    private TrayCommands Commands(string? logs = null)
    {
        var scheduling = new SchedulingService([new JitsiProvider(new JitsiOptions())], new AgentSettings(), _journal, new EventHub(new SessionRegistry()));
        return new TrayCommands(scheduling, [_zoom], new EventHub(new SessionRegistry()), _shell, logs ?? Path.Combine(_state, "logs"), () => _quits++, TestClock.At(Nine, Zones.Berlin));
    }

    private sealed class FakeShell : ITrayShell
    {
        public List<string> Opened { get; } = [];

        public List<(string Title, string Text, bool IsError)> Messages { get; } = [];

        public void Open(string target) => Opened.Add(target);

        public void ShowMessage(string title, string text, bool isError) => Messages.Add((title, text, isError));
    }

    private sealed class FakeSignIn : IProviderSignIn
    {
        public string Provider => "zoom";

        public List<string> Calls { get; } = [];

        public Exception? Failure { get; set; }

        public Task SignInAsync(CancellationToken cancellationToken) => Change("in");

        public Task SignOutAsync(CancellationToken cancellationToken) => Change("out");

        private Task Change(string what)
        {
            if (Failure is not null)
            {
                return Task.FromException(Failure);
            }

            Calls.Add(what);
            return Task.CompletedTask;
        }
    }
}
