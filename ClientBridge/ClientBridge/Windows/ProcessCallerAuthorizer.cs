using System;
using System.IO.Pipes;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using ClientBridge.Policies;
using ClientBridge.Protocol;
using ClientBridge.Server;
using Microsoft.Extensions.Logging;

namespace ClientBridge.Windows;

/// <summary>Checks the connecting process's executable against <see cref="CallerPolicy"/>, as PowerToys does for its pipes.</summary>
[SupportedOSPlatform("windows")]
public sealed partial class ProcessCallerAuthorizer : IConnectionAuthorizer
{
    private readonly CallerPolicy _policy;
    private readonly ILogger _logger;

    public ProcessCallerAuthorizer(CallerPolicy policy, ILogger<ProcessCallerAuthorizer> logger)
    {
        _policy = policy;
        _logger = logger;
    }

    public BridgeError? Authorize(NamedPipeServerStream pipe)
    {
        ArgumentNullException.ThrowIfNull(pipe);
        if (!_policy.Enabled)
        {
            return null;
        }

        uint processId = 0;
        string? image = NativeMethods.GetNamedPipeClientProcessId(pipe.SafePipeHandle, out processId) ? ImagePath(processId) : null;
        if (_policy.IsAllowed(image))
        {
            return null;
        }

        LogRefused(_logger, processId, System.IO.Path.GetFileName(image) ?? "unknown");
        return new BridgeError
        {
            Code = ErrorCodes.CallerRefused,
            Message = "This program may not use the ClientBridge agent. Only Outlook and the agent's own tools may; an administrator can allow others by policy.",
        };
    }

    private static string? ImagePath(uint processId)
    {
        using var process = NativeMethods.OpenProcess(NativeMethods.ProcessQueryLimitedInformation, false, processId);
        if (process.IsInvalid)
        {
            return null;
        }

        var buffer = new char[32768];
        uint size = (uint)buffer.Length;
        return NativeMethods.QueryFullProcessImageName(process, 0, buffer, ref size) ? new string(buffer, 0, (int)size) : null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a pipe connection from process {ProcessId} ({Image}); the caller policy does not allow it.")]
    private static partial void LogRefused(ILogger logger, uint processId, string image);
}
