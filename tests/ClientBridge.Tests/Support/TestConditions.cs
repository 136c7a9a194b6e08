using System;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace ClientBridge.Tests.Support;

/// <summary>Runs a test only on Linux as root, where it can switch to another user with <c>setpriv</c>.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class RunsAsRootOnLinuxAttribute : ConditionBaseAttribute
{
    public RunsAsRootOnLinuxAttribute()
        : base(ConditionMode.Include)
    {
        IgnoreMessage = "Needs Linux and root, to run a client as another user.";
    }

    public override bool IsConditionMet => OperatingSystem.IsLinux() && Environment.UserName == "root";

    public override string GroupName => nameof(RunsAsRootOnLinuxAttribute);
}
