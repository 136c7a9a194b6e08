using System;
using System.IO;
using System.Threading.Tasks;
using ClientBridge.Settings;
using ClientBridge.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace ClientBridge.Tests.Settings;

/// <summary>The user's settings.json: written atomically, read back, damaged files survived, changes picked up.</summary>
[TestClass]
public sealed class SettingsFileTests
{
    private string _folder = null!;

    [TestInitialize]
    public void Create() => _folder = Path.Combine(Path.GetTempPath(), "cbt-settings-" + Guid.NewGuid().ToString("N")[..8]);

    [TestCleanup]
    public void Remove()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [TestMethod]
    public void Settings_saved_are_read_back_and_no_temporary_file_is_left()
    {
        using var file = new SettingsFile(_folder);
        file.Save(new UserSettings
        {
            DefaultProvider = "zoom",
            AllowedProviders = ["zoom", "jitsi"],
            ReminderMinutes = 10,
            DaysAhead = 14,
            Reminders = false,
            Meetings = new UserMeetingDefaults { WaitingRoom = false, RequirePasscode = true, AlternativeHosts = ["a@example.com"] },
        });

        UserSettings read = SettingsFile.Read(file.Path);

        Assert.AreEqual("zoom", read.DefaultProvider);
        CollectionAssert.AreEqual(new[] { "zoom", "jitsi" }, read.AllowedProviders);
        Assert.AreEqual((10, 14, false), (read.ReminderMinutes, read.DaysAhead, read.Reminders));
        Assert.IsFalse(read.Meetings!.WaitingRoom);
        Assert.IsTrue(read.Meetings.RequirePasscode);
        CollectionAssert.AreEqual(new[] { "a@example.com" }, read.Meetings.AlternativeHosts);
        Assert.IsNull(read.Meetings.MuteUponEntry, "What the user never chose stays unchosen.");
        CollectionAssert.AreEqual(new[] { file.Path }, Directory.GetFiles(_folder));
    }

    [TestMethod]
    public void No_file_means_the_defaults()
    {
        using var file = new SettingsFile(_folder);

        Assert.IsNull(file.Current.ReminderMinutes);
        Assert.IsNull(file.Current.DefaultProvider);
    }

    [TestMethod]
    [DataRow("{ \"defaultProvider\": \"Quarterly-secret\", ")]
    [DataRow("{ \"reminderMinutes\": \"Quarterly-secret\" }")]
    [DataRow("[\"Quarterly-secret\"]")]
    [DataRow("\u0000\u0001Quarterly-secret")]
    public void A_damaged_or_wrong_typed_file_is_logged_without_its_contents_and_the_defaults_used(string text)
    {
        Directory.CreateDirectory(_folder);
        File.WriteAllText(Path.Combine(_folder, SettingsFile.FileName), text);
        using var logs = new ListLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));

        using var file = new SettingsFile(_folder, factory.CreateLogger("settings"));

        Assert.IsNull(file.Current.DefaultProvider);
        Assert.IsNull(file.Current.ReminderMinutes);
        Assert.IsTrue(logs.Contains("could not be read as settings"), string.Join("\n", logs.Lines));
        Assert.IsFalse(logs.Contains("Quarterly"), "The file's contents never reach the log.");
    }

    [TestMethod]
    public void A_value_out_of_range_is_dropped_and_the_others_kept()
    {
        Directory.CreateDirectory(_folder);
        File.WriteAllText(Path.Combine(_folder, SettingsFile.FileName), "{ // a comment\n \"reminderMinutes\": 900, \"daysAhead\": 0, \"defaultProvider\": \"zoom\", \"unknown\": 1, }");
        using var logs = new ListLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));

        using var file = new SettingsFile(_folder, factory.CreateLogger("settings"));

        Assert.IsNull(file.Current.ReminderMinutes);
        Assert.IsNull(file.Current.DaysAhead);
        Assert.AreEqual("zoom", file.Current.DefaultProvider);
        Assert.IsTrue(logs.Contains("reminderMinutes is outside"));
    }

    [TestMethod]
    public async Task A_change_to_the_file_is_picked_up_by_the_watcher()
    {
        using var file = new SettingsFile(_folder, debounce: TimeSpan.FromMilliseconds(50));
        file.StartWatching();
        var changed = new TaskCompletionSource<UserSettings>(TaskCreationOptions.RunContinuationsAsynchronously);
        file.Changed += (_, s) =>
        {
            if (s.ReminderMinutes == 15)
            {
                changed.TrySetResult(s);
            }
        };

        using (var other = new SettingsFile(_folder))
        {
            other.Save(new UserSettings { ReminderMinutes = 15 }); // Another writer: a temporary file renamed over.
        }

        UserSettings seen = await changed.Task.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.AreEqual(15, seen.ReminderMinutes);
        Assert.AreEqual(15, file.Current.ReminderMinutes);

        File.WriteAllText(file.Path, "{ broken");
        await WaitUntil(() => file.Current.ReminderMinutes is null);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (int i = 0; i < 300 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.IsTrue(condition());
    }
}
