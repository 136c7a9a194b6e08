using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Linq;
using ClientBridge.Desktop;
using ClientBridge.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace ClientBridge.Tests.Desktop;

/// <summary>
/// Links, folders and sign-in pages open through the shell; a start the system says never happened is tried again,
/// anything else is the answer, and the log names the error, never the address.
/// </summary>
[TestClass]
public sealed class ShellOpenerTests
{
    private const string JoinLink = "https://example.zoom.us/j/85012345678?pwd=secretpasscode";

    private readonly ListLoggerProvider _log = new();
    private readonly List<string> _opened = [];
    private readonly List<TimeSpan> _pauses = [];

    [TestMethod]
    public void A_start_the_system_says_never_happened_is_tried_again_and_the_link_opens_once()
    {
        ShellOpener opener = Opener(failures: [ShellOpener.ErrorInternalError]);

        opener.Open(JoinLink);

        CollectionAssert.AreEqual(new[] { JoinLink }, _opened, "The second try opened the link, and only once.");
        CollectionAssert.AreEqual(new[] { ShellOpener.RetryPause }, _pauses);
        Assert.IsTrue(_log.Contains("error 1359"), string.Join('\n', _log.Lines));
        Assert.IsTrue(_log.Contains("on try 2"), string.Join('\n', _log.Lines));
        AssertNoAddressLogged();
    }

    [TestMethod]
    public void A_start_refused_three_times_in_a_row_fails_with_the_error_after_three_tries()
    {
        ShellOpener opener = Opener(failures: [1359, 1359, 1359, 1359]);

        ShellOpenException error = Assert.ThrowsExactly<ShellOpenException>(() => opener.Open(JoinLink));

        Assert.AreEqual(ShellOpener.ErrorInternalError, error.Error);
        Assert.IsEmpty(_opened);
        Assert.HasCount(ShellOpener.Attempts - 1, _pauses, "A pause between tries, none after the last.");
        Assert.IsTrue(_log.Contains("after 3 tries"), string.Join('\n', _log.Lines));
        AssertNoAddressLogged();
    }

    [TestMethod]
    [DataRow(2, DisplayName = "file not found")]
    [DataRow(5, DisplayName = "access denied")]
    [DataRow(1155, DisplayName = "no application associated")]
    [DataRow(1223, DisplayName = "cancelled by the person")]
    public void Any_other_failure_is_the_answer_at_once_with_its_number_and_without_the_address(int windowsError)
    {
        ShellOpener opener = Opener(failures: [windowsError]);

        ShellOpenException error = Assert.ThrowsExactly<ShellOpenException>(() => opener.Open(JoinLink));

        Assert.AreEqual(windowsError, error.Error);
        StringAssert.StartsWith(error.Message, $"error {windowsError}: ");
        Assert.DoesNotContain("zoom.us", error.Message, "The sentence shown to the person names the error, not the link.");
        Assert.IsEmpty(_opened);
        Assert.IsEmpty(_pauses, "Asking again would only ask the person again (or fail the same way).");
        AssertNoAddressLogged();
    }

    [TestMethod]
    public void Only_the_internal_error_before_the_last_try_is_tried_again()
    {
        Assert.IsTrue(ShellOpener.ShouldTryAgain(1359, 1));
        Assert.IsTrue(ShellOpener.ShouldTryAgain(1359, ShellOpener.Attempts - 1));
        Assert.IsFalse(ShellOpener.ShouldTryAgain(1359, ShellOpener.Attempts));
        Assert.IsFalse(ShellOpener.ShouldTryAgain(0, 1));
        Assert.IsFalse(ShellOpener.ShouldTryAgain(1156, 1), "A failed DDE conversation may have started the browser already.");
    }

    private ShellOpener Opener(int[] failures)
    {
        var pending = new Queue<int>(failures);
        return new ShellOpener(
            _log.CreateLogger("ShellOpener"),
            target =>
            {
                if (pending.TryDequeue(out int failure))
                {
                    // As Process.Start reports ShellExecuteEx's failure; its message carries the target, which must not travel.
                    throw new Win32Exception(failure, $"An error occurred trying to start process '{target}'.");
                }

                _opened.Add(target);
            },
            _pauses.Add);
    }

    private void AssertNoAddressLogged() =>
        Assert.IsFalse(_log.Lines.Any(line => line.Contains("zoom.us", StringComparison.Ordinal) || line.Contains("pwd", StringComparison.Ordinal)), string.Join('\n', _log.Lines));
}
