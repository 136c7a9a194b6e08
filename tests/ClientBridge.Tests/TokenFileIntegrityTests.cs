using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using ClientBridge.Providers.Zoom;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace ClientBridge.Tests;

/// <summary>
/// An encrypted token file that is not whole is refused as damaged before its blob reaches the protector (DPAPI):
/// Wine's CryptUnprotectData crashed the agent with an access violation on a blob with damaged lengths. A whole file
/// that the protector refuses is someone else's, and says so. Either way the store reads as signed out, with one sentence.
/// </summary>
[TestClass]
public sealed class TokenFileIntegrityTests
{
    private static readonly ZoomTokens Tokens = new("access-secret", new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), "refresh-secret");

    private string _folder = null!;

    [TestInitialize]
    public void MakeFolder() => _folder = Directory.CreateTempSubdirectory("cbt-tokenfile-").FullName;

    [TestCleanup]
    public void RemoveFolder() => Directory.Delete(_folder, recursive: true);

    private string TokenFile => Path.Combine(_folder, TokenStore.FileName);

    [TestMethod]
    public void A_whole_file_reads_back_and_the_protector_sees_exactly_the_blob_it_made()
    {
        var protector = new RecordingProtector();
        new TokenStore(_folder, protector).Save(Tokens);

        var reopened = new TokenStore(_folder, protector);

        Assert.AreEqual(Tokens, reopened.Current);
        Assert.IsNull(reopened.LoadProblem);
        CollectionAssert.AreEqual(protector.Made.Single(), protector.Opened.Single());
    }

    [TestMethod]
    [DataRow(0, DisplayName = "the first byte")]
    [DataRow(10, DisplayName = "a byte of the checksum")]
    [DataRow(-1, DisplayName = "the last byte")]
    public void A_file_with_any_byte_changed_is_refused_as_damaged_without_reaching_the_protector(int position)
    {
        var protector = new RecordingProtector();
        new TokenStore(_folder, protector).Save(Tokens);
        byte[] file = File.ReadAllBytes(TokenFile);
        file[position < 0 ? file.Length + position : position] ^= 0x01;
        File.WriteAllBytes(TokenFile, file);

        var reopened = new TokenStore(_folder, protector);

        Assert.IsNull(reopened.Current);
        Assert.AreEqual(TokenStore.DamagedProblem, reopened.LoadProblem);
        Assert.IsEmpty(protector.Opened, "A damaged blob must never reach the protector.");
    }

    [TestMethod]
    public void A_truncated_an_empty_and_a_raw_blob_file_are_refused_as_damaged()
    {
        var protector = new RecordingProtector();
        new TokenStore(_folder, protector).Save(Tokens);
        byte[] whole = File.ReadAllBytes(TokenFile);

        foreach (byte[] broken in new[] { whole[..(whole.Length / 2)], [], protector.Made.Single() })
        {
            File.WriteAllBytes(TokenFile, broken);
            var reopened = new TokenStore(_folder, protector);
            Assert.IsNull(reopened.Current);
            Assert.AreEqual(TokenStore.DamagedProblem, reopened.LoadProblem);
        }

        Assert.IsEmpty(protector.Opened);
    }

    [TestMethod]
    public void A_whole_file_the_protector_refuses_is_another_users()
    {
        new TokenStore(_folder, new RecordingProtector()).Save(Tokens);

        var reopened = new TokenStore(_folder, new RecordingProtector { Refuse = true });

        Assert.IsNull(reopened.Current);
        Assert.AreEqual(TokenStore.ForeignProblem, reopened.LoadProblem);
    }

    [TestMethod]
    public void A_whole_file_that_decrypts_to_something_other_than_tokens_is_damaged()
    {
        var protector = new RecordingProtector { Garble = true };
        new TokenStore(_folder, protector).Save(Tokens);

        var reopened = new TokenStore(_folder, protector);

        Assert.IsNull(reopened.Current);
        Assert.AreEqual(TokenStore.DamagedProblem, reopened.LoadProblem);
    }

    /// <summary>A stand-in for DPAPI (XOR), which records the blobs it made and was asked to open.</summary>
    private sealed class RecordingProtector : ISecretProtector
    {
        public bool Refuse { get; init; }

        public bool Garble { get; init; }

        public List<byte[]> Made { get; } = [];

        public List<byte[]> Opened { get; } = [];

        public byte[] Protect(byte[] plain)
        {
            byte[] blob = [.. plain.Select(b => (byte)(b ^ 0x5A))];
            Made.Add(blob);
            return blob;
        }

        public byte[] Unprotect(byte[] protectedData)
        {
            Opened.Add(protectedData);
            if (Refuse)
            {
                throw new CryptographicException("Key not valid for use in specified state.");
            }

            return Garble ? "not json"u8.ToArray() : [.. protectedData.Select(b => (byte)(b ^ 0x5A))];
        }
    }
}
