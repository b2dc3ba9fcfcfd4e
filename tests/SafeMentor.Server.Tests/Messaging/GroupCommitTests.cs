using System.Diagnostics;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SafeMentor.Contracts;
using SafeMentor.Server.Messaging;
using SafeMentor.Server.Storage;
using SafeMentor.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SafeMentor.Server.Tests.Messaging;

public sealed class GroupCommitTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Send_ManyConcurrent_CommitInFewerTransactionsThanMessages()
    {
        const int Messages = 300;
        using var server = new ServerFactory();
        await using var world = await Scenario.CreateAsync(server);
        var connections = new List<HubConnection>();
        for (var i = 0; i < 6; i++)
        {
            connections.Add(await world.Mentor.ConnectAsync(messagePack: i % 2 == 0));
        }

        var writer = server.Services.GetRequiredService<EnvelopeWriter>();
        var commitsBefore = writer.Commits;
        var writtenBefore = writer.Written;
        var clock = Stopwatch.StartNew();

        var answers = await Task.WhenAll(Enumerable.Range(0, Messages)
            .Select(i => world.SendAsync(connections[i % connections.Count], world.Mentee, Scenario.FakeCiphertext(1024, (byte)i))));

        clock.Stop();
        var commits = writer.Commits - commitsBefore;
        output.WriteLine($"{Messages} sends acknowledged in {clock.ElapsedMilliseconds} ms using {commits} commits ({Messages / clock.Elapsed.TotalSeconds:0} msg/s)");
        Assert.Equal(Messages, answers.Select(a => a.EnvelopeId).Distinct().Count());
        Assert.Equal(Messages, writer.Written - writtenBefore);
        Assert.True(commits < Messages, $"expected batching, got {commits} commits for {Messages} messages");
        Assert.Equal(Messages, server.Services.GetEnvelopeStore().CountFor(world.Mentee.AccountId));

        // All of them drain to the recipient, in the order the server accepted them.
        await world.Mentee.ConnectAsync();
        var drained = new List<EnvelopeDto>();
        for (var i = 0; i < Messages; i++)
        {
            drained.Add(await world.Mentee.NextEnvelopeAsync());
        }

        Assert.Equal(Messages, drained.Select(e => e.EnvelopeId).Distinct().Count());
    }

    [Fact]
    public async Task Ack_BeforeBatchCommits_CompletesSenderAndNeverWrites()
    {
        using var fixture = new QueueFixture();
        var envelope = QueueFixture.Envelope("recipient-ack-first");

        var (safe, isNew) = fixture.Queue.Accept(envelope, () => null);
        Assert.True(isNew);
        Assert.False(safe.IsCompleted);

        Assert.Equal(1, fixture.Queue.Ack(envelope.RecipientId, [envelope.Id]));

        Assert.Equal(envelope.Id, (await safe).EnvelopeId);
        Assert.Empty(fixture.Queue.TakeBatch(100));
        Assert.Null(fixture.Store.Find(envelope.Id));
    }

    [Fact]
    public void Ack_WhileBatchIsBeingWritten_DeletesRightAfterTheCommit()
    {
        using var fixture = new QueueFixture();
        var envelope = QueueFixture.Envelope("recipient-ack-during-write");
        var (safe, _) = fixture.Queue.Accept(envelope, () => null);
        var batch = fixture.Queue.TakeBatch(100);

        Assert.Equal(1, fixture.Queue.Ack(envelope.RecipientId, [envelope.Id]));
        Assert.False(safe.IsCompleted);
        Assert.Empty(fixture.Queue.QueuedFor(envelope.RecipientId));

        fixture.Store.WriteBatch([.. batch.Select(p => p.Document)]);
        var deleteAgain = fixture.Queue.Settle(batch);

        Assert.Equal(envelope.Id, Assert.Single(deleteAgain).Document.Id);
    }

    [Fact]
    public async Task Purge_PendingEnvelope_RefusesSenderWithMentorshipEnded()
    {
        using var fixture = new QueueFixture();
        var envelope = QueueFixture.Envelope("recipient-purged");
        var (safe, _) = fixture.Queue.Accept(envelope, () => null);

        Assert.Equal(1, fixture.Queue.Purge(envelope.MentorshipId));

        var refusal = await Assert.ThrowsAsync<RelayRefusal>(() => safe);
        Assert.Equal(ErrorCodes.MentorshipEnded, refusal.Code);
        Assert.Empty(fixture.Queue.TakeBatch(100));
    }

    [Fact]
    public void Accept_AdmissionRefused_QueuesNothing()
    {
        using var fixture = new QueueFixture();
        var envelope = QueueFixture.Envelope("recipient-refused");

        var (safe, isNew) = fixture.Queue.Accept(envelope, () => ErrorCodes.ConsentRequired);

        Assert.False(isNew);
        Assert.Equal(ErrorCodes.ConsentRequired, Assert.IsType<RelayRefusal>(safe.Exception!.InnerException).Code);
        Assert.Empty(fixture.Queue.TakeBatch(100));
    }

    [Fact]
    public async Task Send_NotYetCommitted_SenderIsNotToldUntilDurable()
    {
        var folder = Path.Combine(Path.GetTempPath(), "safementor-tests", Guid.NewGuid().ToString("N"));
        var envelope = QueueFixture.Envelope("recipient-durable");
        using (var fixture = new QueueFixture(folder))
        {
            var (safe, _) = fixture.Queue.Accept(envelope, () => null);
            await Task.Delay(50);
            Assert.False(safe.IsCompleted);

            using var writer = new EnvelopeWriter(fixture.Queue, fixture.Store, Options.Create(new RelayOptions()), Microsoft.Extensions.Logging.Abstractions.NullLogger<EnvelopeWriter>.Instance);
            await writer.StartAsync(CancellationToken.None);
            await safe.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(1, writer.Commits);
            await writer.StopAsync(CancellationToken.None);
        }

        // Once the sender was told, the envelope is in the database file for the next process.
        using var reopened = new QueueFixture(folder);
        Assert.Equal(envelope.Ciphertext, reopened.Store.Find(envelope.Id)!.Ciphertext);
        reopened.DeleteFolder = true;
    }

    private sealed class QueueFixture : IDisposable
    {
        private readonly string _folder;

        public QueueFixture(string? folder = null)
        {
            _folder = folder ?? Path.Combine(Path.GetTempPath(), "safementor-tests", Guid.NewGuid().ToString("N"));
            DeleteFolder = folder is null;
            Database = new Database(Options.Create(new StorageOptions { DataDirectory = _folder }));
            Store = new EnvelopeStore(Database);
            Queue = new EnvelopeQueue(Store, Options.Create(new RelayOptions()));
        }

        public bool DeleteFolder { get; set; }

        public Database Database { get; }

        public EnvelopeStore Store { get; }

        public EnvelopeQueue Queue { get; }

        public static EnvelopeDocument Envelope(string recipient) => new()
        {
            Id = Scenario.NewEnvelopeId(),
            MentorshipId = "ms_test",
            SenderId = "sender",
            RecipientId = recipient,
            Ciphertext = Scenario.FakeCiphertext(),
            ReceivedAt = DateTime.UtcNow,
        };

        public void Dispose()
        {
            Database.Dispose();
            if (DeleteFolder)
            {
                Directory.Delete(_folder, recursive: true);
            }
        }
    }
}
