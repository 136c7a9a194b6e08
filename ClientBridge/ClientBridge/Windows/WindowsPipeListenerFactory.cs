using System;
using System.IO.Pipes;
using System.Runtime.Versioning;
using System.Security.AccessControl;
using System.Security.Principal;
using ClientBridge.Protocol;

namespace ClientBridge.Windows;

/// <summary>
/// The Windows pipe, with an explicit ACL that allows only the current user and denies network logons outright,
/// so that neither another account nor a remote machine can open it. .NET refuses <see cref="PipeOptions.CurrentUserOnly"/>
/// together with a custom ACL on the server side; the ACL here is what that option would create plus the network
/// deny, and clients still pass <see cref="PipeOptions.CurrentUserOnly"/>, which makes them check this pipe's owner.
/// </summary>
[SupportedOSPlatform("windows")]
public sealed class WindowsPipeListenerFactory : Server.IPipeListenerFactory
{
    private const int BufferBytes = 64 * 1024;

    public void Prepare(BridgeEndpoint endpoint)
    {
    }

    public NamedPipeServerStream Create(BridgeEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return NamedPipeServerStreamAcl.Create(
            endpoint.PipeName,
            PipeDirection.InOut,
            NamedPipeServerStream.MaxAllowedServerInstances,
            PipeTransmissionMode.Byte,
            PipeOptions.Asynchronous,
            BufferBytes,
            BufferBytes,
            CreateSecurity());
    }

    public string DescribeProtection(BridgeEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return CreateSecurity().GetSecurityDescriptorSddlForm(AccessControlSections.Access | AccessControlSections.Owner);
    }

    internal static PipeSecurity CreateSecurity()
    {
        using WindowsIdentity identity = WindowsIdentity.GetCurrent();
        SecurityIdentifier user = identity.User ?? throw new InvalidOperationException("The current process has no user.");
        var security = new PipeSecurity();

        // The token's default owner, not its user: that is what a CurrentUserOnly client compares the owner with
        // (they differ for an elevated administrator, whose default owner is the Administrators group).
        security.SetOwner(identity.Owner ?? user);
        security.SetAccessRuleProtection(isProtected: true, preserveInheritance: false);
        security.AddAccessRule(new PipeAccessRule(new SecurityIdentifier(WellKnownSidType.NetworkSid, null), PipeAccessRights.FullControl, AccessControlType.Deny));
        security.AddAccessRule(new PipeAccessRule(user, PipeAccessRights.FullControl, AccessControlType.Allow));
        return security;
    }
}
