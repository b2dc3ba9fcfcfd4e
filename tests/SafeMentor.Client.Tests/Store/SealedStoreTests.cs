using System.Text;
using SafeMentor.Client.Storage;
using SafeMentor.Client.Tests.Infrastructure;

namespace SafeMentor.Client.Tests.Store;

/// <summary>The sealed store on its own.</summary>
public sealed class SealedStoreTests
{
    [Fact]
    public void Write_Durable_DataFileAloneHoldsTheRecord()
    {
        var path = TestClients.NewStorePath();
        using var passphrase = Passphrase.FromUtf8(Encoding.UTF8.GetBytes(TestClients.Secret));
        using var store = SealedStore.Open(path, passphrase, TestClients.FastKdf);
        store.Write(b => b.Put("greeting", "hello"u8));

        var copy = TestClients.NewStorePath();
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        File.Copy(path, copy);
        using var reopened = SealedStore.Open(copy, passphrase, TestClients.FastKdf);

        Assert.Equal("hello"u8.ToArray(), reopened.Get("greeting"));
    }
}
