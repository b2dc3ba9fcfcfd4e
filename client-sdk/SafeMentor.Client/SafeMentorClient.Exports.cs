using SafeMentor.Client.Exports;
using SafeMentor.Client.Messaging;
using SafeMentor.Client.Storage;
using SafeMentor.Contracts;
using SafeMentor.Protocol.Statements;

namespace SafeMentor.Client;

public sealed partial class SafeMentorClient
{
    private const int MaxExportText = 200;

    /// <summary>An export request arrived from the counterpart, or the counterpart answered one of ours.</summary>
    public event EventHandler<ExportRequestEventArgs>? ExportRequestChanged;

    /// <summary>
    /// Asks the counterpart, over the encrypted channel, to consent to an export of <paramref name="fromMs"/> to
    /// <paramref name="toMs"/> for <paramref name="purpose"/>, to be given to <paramref name="recipient"/>, valid until
    /// <paramref name="expiresMs"/>.
    /// </summary>
    public async Task<ExportRequestInfo> RequestExportAsync(string mentorshipId, long fromMs, long toMs, string purpose, string recipient, long expiresMs, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fromMs);
        ArgumentOutOfRangeException.ThrowIfLessThan(toMs, fromMs);
        RequireText(purpose, nameof(purpose));
        RequireText(recipient, nameof(recipient));
        var body = new ExportRequestBody(fromMs, toMs, purpose, recipient, expiresMs);
        var payload = new AppPayload { Type = AppPayload.ExportRequest, Id = NewId(), SentAtMs = NowMs, Request = body };
        var record = new ExportRequestRecord(payload.Id, mentorshipId, _identity!.AccountId, false, body, ExportRequestStatus.Pending, null, null);
        _store.Write(b => PutExport(b, record));
        await EnqueueAsync(mentorshipId, payload, cancellationToken).ConfigureAwait(false);
        return ToInfo(record);
    }

    /// <summary>Export requests made here and received from counterparts, oldest first.</summary>
    public Task<IReadOnlyList<ExportRequestInfo>> GetExportRequestsAsync(string? mentorshipId = null)
    {
        var ids = _store.GetJson<ExportIndex>(RecordNames.ExportIndex)?.RequestIds ?? [];
        IReadOnlyList<ExportRequestInfo> list = [.. ids
            .Select(id => _store.GetJson<ExportRequestRecord>(RecordNames.Export(id)))
            .OfType<ExportRequestRecord>()
            .Where(r => mentorshipId is null || r.MentorshipId == mentorshipId)
            .Select(ToInfo)];
        return Task.FromResult(list);
    }

    /// <summary>
    /// Approves the counterpart's export request: signs the export consent (only ever on this call, that is, when the
    /// user approves) and sends it over the encrypted channel with this party's consent to the current ground rules.
    /// </summary>
    public async Task<ExportRequestInfo> ApproveExportAsync(string requestId, CancellationToken cancellationToken = default)
    {
        var record = IncomingRequest(requestId);
        var view = await GetGroundRulesAsync(record.MentorshipId, cancellationToken).ConfigureAwait(false);
        var mine = _store.GetJson<MyConsentRecord>(RecordNames.MyConsent(record.MentorshipId, view.ComputedHash))
            ?? throw new SafeMentorException(ErrorCodes.ConsentRequired, "Consent to the current ground rules first; the export consent refers to them.");
        var r = record.Request;
        var statement = new ExportConsentStatement(record.MentorshipId, record.ExporterAccountId, r.FromMs, r.ToMs, r.Purpose, r.Recipient, r.ExpiresMs, NowMs);
        var consent = new ExportConsentBody(r.FromMs, r.ToMs, r.Purpose, r.Recipient, r.ExpiresMs, statement.TimestampMs, Convert.ToBase64String(StatementSigner.Sign(_identity!, statement)));
        var groundRulesConsent = new GroundRulesConsentBody(mine.GroundRulesHash, mine.TimestampMs, mine.Signature);
        var payload = new AppPayload { Type = AppPayload.ExportConsent, Id = NewId(), SentAtMs = NowMs, RequestId = requestId, Consent = consent, GroundRulesConsent = groundRulesConsent };
        var updated = record with { Status = ExportRequestStatus.Approved, Consent = consent };
        _store.Write(b => b.PutJson(RecordNames.Export(requestId), updated));
        await EnqueueAsync(record.MentorshipId, payload, cancellationToken).ConfigureAwait(false);
        return ToInfo(updated);
    }

    /// <summary>Declines the counterpart's export request; nothing is signed.</summary>
    public async Task<ExportRequestInfo> DeclineExportAsync(string requestId, CancellationToken cancellationToken = default)
    {
        var record = IncomingRequest(requestId);
        var updated = record with { Status = ExportRequestStatus.Declined };
        _store.Write(b => b.PutJson(RecordNames.Export(requestId), updated));
        var payload = new AppPayload { Type = AppPayload.ExportDecline, Id = NewId(), SentAtMs = NowMs, RequestId = requestId };
        await EnqueueAsync(record.MentorshipId, payload, cancellationToken).ConfigureAwait(false);
        return ToInfo(updated);
    }

    /// <summary>
    /// Builds the signed record of the consented range from local history, files the receipt (hashes and statements
    /// only) with the server, and returns the record. Refused with <see cref="ClientErrorCodes.ExportConsentRequired"/>
    /// unless the counterpart's valid, unexpired export consent is on file.
    /// </summary>
    public async Task<ExportRecord> CreateExportAsync(string mentorshipId, string? requestId = null, CancellationToken cancellationToken = default)
    {
        var identity = _identity ?? throw NoIdentity();
        var (counterpartId, mentorship) = await CounterpartAsync(mentorshipId, cancellationToken).ConfigureAwait(false);
        var now = NowMs;
        var contact = _store.GetJson<ContactRecord>(RecordNames.Contact(counterpartId));
        var candidates = (await GetExportRequestsAsync(mentorshipId).ConfigureAwait(false))
            .Where(r => !r.Incoming && r.Status == ExportRequestStatus.Approved && (requestId is null || r.RequestId == requestId))
            .Select(r => _store.GetJson<ExportRequestRecord>(RecordNames.Export(r.RequestId))!)
            .Where(r => r.Consent is not null && r.CounterpartGroundRulesConsent is not null && r.Consent.ExpiresMs > now)
            .Reverse()
            .ToList();
        var chosen = contact is null ? null : candidates.FirstOrDefault(r => ConsentVerifies(r, contact, identity.AccountId));
        if (chosen is null)
        {
            throw new SafeMentorException(ClientErrorCodes.ExportConsentRequired, "No valid, unexpired export consent from the counterpart is on file: request one and wait for approval.");
        }

        var view = await GetGroundRulesAsync(mentorshipId, cancellationToken).ConfigureAwait(false);
        var mine = _store.GetJson<MyConsentRecord>(RecordNames.MyConsent(mentorshipId, view.ComputedHash));
        var theirs = chosen.CounterpartGroundRulesConsent!;
        if (!view.HashMatches || mine is null || theirs.GroundRulesHash != view.ComputedHash)
        {
            throw new SafeMentorException(ErrorCodes.GroundRulesMismatch, "Both parties' consents must be to the current ground rules; consent again and ask for a new export consent.");
        }

        var consent = chosen.Consent!;
        var history = await GetHistoryAsync(mentorshipId).ConfigureAwait(false);
        var messages = history
            .Where(m => m.Status is MessageStatus.Sent or MessageStatus.Received && m.SentAtMs >= consent.FromMs && m.SentAtMs <= consent.ToMs)
            .Select(m => new ExportedMessage(m.MessageId, m.SenderAccountId, m.SentAtMs, m.Text))
            .ToList();
        var contentHash = ExportContent.Hash(messages);
        var grHash = Convert.FromBase64String(view.ComputedHash);
        var statement = new ExportRecordStatement(
            mentorshipId,
            identity.AccountId,
            counterpartId,
            grHash,
            Convert.FromBase64String(mine.Signature),
            Convert.FromBase64String(theirs.Signature),
            consent.FromMs,
            consent.ToMs,
            Convert.FromBase64String(consent.Signature),
            checked((uint)messages.Count),
            contentHash,
            now);
        var signature = Convert.ToBase64String(StatementSigner.Sign(identity, statement));
        var recordHash = Convert.ToBase64String(statement.RecordHash());
        var iAmMentor = mentorship.MentorAccountId == identity.AccountId;
        var rules = view.Rules;
        var record = new ExportRecord
        {
            MentorshipId = mentorshipId,
            Exporter = new ExportParty(identity.AccountId, iAmMentor ? mentorship.MentorPseudonym : mentorship.MenteePseudonym, Convert.ToBase64String(identity.Public.SigningKey), Convert.ToBase64String(identity.Public.DhKey), Convert.ToBase64String(identity.Public.BindingSignature)),
            Counterpart = new ExportParty(counterpartId, iAmMentor ? mentorship.MenteePseudonym : mentorship.MentorPseudonym, contact!.SigningKey, contact.DhKey, contact.Binding),
            GroundRules = new ExportGroundRules(rules.ProgrammeId, rules.Version, rules.Text, rules.UndeliveredRetentionMs, rules.ClientHistoryRetentionMs, rules.ExportAllowed, rules.ContactHours, rules.ExpectedResponseHours, view.ComputedHash),
            Consents = new ExportConsents(new ExportGroundRulesConsent(mine.TimestampMs, mine.Signature), new ExportGroundRulesConsent(theirs.TimestampMs, theirs.Signature)),
            ExportConsent = new ExportConsentFields(consent.FromMs, consent.ToMs, consent.Purpose, consent.Recipient, consent.ExpiresMs, consent.TimestampMs, consent.Signature),
            FromMs = consent.FromMs,
            ToMs = consent.ToMs,
            CreatedAtMs = now,
            Messages = [.. messages.Select(m => new ExportMessage(m.MessageId, m.SenderAccountId, m.SentAtMs, m.Text))],
            ContentHash = Convert.ToBase64String(contentHash),
            RecordHash = recordHash,
            Signature = signature,
        };

        var receipt = new ExportReceiptRequest(
            recordHash,
            view.ComputedHash,
            mine.Signature,
            theirs.Signature,
            consent.FromMs,
            consent.ToMs,
            checked((uint)messages.Count),
            record.ContentHash,
            now,
            new ExportConsentDto(consent.FromMs, consent.ToMs, consent.Purpose, consent.Recipient, consent.ExpiresMs, consent.TimestampMs, consent.Signature),
            signature);
        await Api().PostAsync<ExportReceiptDto>(Path(Routes.ExportReceipts, mentorshipId), receipt, cancellationToken).ConfigureAwait(false);
        return record;
    }

    /// <summary>Verifies an export record offline (no server, no store); see <see cref="ExportVerifier"/>.</summary>
    public static ExportVerification VerifyExport(string json) => ExportVerifier.Verify(json);

    private void ApplyExportControl(SealedStore.Batch b, EnvelopeDto envelope, AppPayload payload, string me, List<Action> events)
    {
        ExportRequestRecord? updated = null;
        switch (payload.Type)
        {
            case AppPayload.ExportRequest when payload.Request is { } request && IsText(request.Purpose) && IsText(request.Recipient) && request.ToMs >= request.FromMs && request.FromMs >= 0:
                if (_store.Get(RecordNames.Export(payload.Id)) is null)
                {
                    updated = new ExportRequestRecord(payload.Id, envelope.MentorshipId, envelope.Sender, true, request, ExportRequestStatus.Pending, null, null);
                    PutExport(b, updated);
                }

                break;
            case AppPayload.ExportConsent when payload is { RequestId: { } id, Consent: { } consent, GroundRulesConsent: { } rulesConsent }:
                var mine = _store.GetJson<ExportRequestRecord>(RecordNames.Export(id));
                var contact = _store.GetJson<ContactRecord>(RecordNames.Contact(envelope.Sender));
                if (mine is { Incoming: false } && mine.MentorshipId == envelope.MentorshipId && contact is not null)
                {
                    var candidate = mine with { Status = ExportRequestStatus.Approved, Consent = consent, CounterpartGroundRulesConsent = rulesConsent };
                    if (ConsentVerifies(candidate, contact, me))
                    {
                        updated = candidate;
                        b.PutJson(RecordNames.Export(id), updated);
                    }
                }

                break;
            case AppPayload.ExportDecline when payload.RequestId is { } declined:
                if (_store.GetJson<ExportRequestRecord>(RecordNames.Export(declined)) is { Incoming: false } asked && asked.MentorshipId == envelope.MentorshipId)
                {
                    updated = asked with { Status = ExportRequestStatus.Declined };
                    b.PutJson(RecordNames.Export(declined), updated);
                }

                break;
            default:
                break;
        }

        if (updated is not null)
        {
            var info = ToInfo(updated);
            events.Add(() => ExportRequestChanged?.Invoke(this, new ExportRequestEventArgs(info)));
        }
    }

    private static bool ConsentVerifies(ExportRequestRecord record, ContactRecord counterpart, string exporter)
    {
        if (record.Consent is not { } c || c.ToMs < c.FromMs || c.FromMs < 0 || c.ExpiresMs < 0 || c.TimestampMs < 0 || !IsText(c.Purpose) || !IsText(c.Recipient))
        {
            return false;
        }

        try
        {
            var statement = new ExportConsentStatement(record.MentorshipId, exporter, c.FromMs, c.ToMs, c.Purpose, c.Recipient, c.ExpiresMs, c.TimestampMs);
            return StatementSigner.Verify(PublicIdentityOf(counterpart), statement, Convert.FromBase64String(c.Signature));
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private void PutExport(SealedStore.Batch b, ExportRequestRecord record)
    {
        var index = _store.GetJson<ExportIndex>(RecordNames.ExportIndex) ?? new ExportIndex([]);
        index.RequestIds.Add(record.RequestId);
        b.PutJson(RecordNames.ExportIndex, index);
        b.PutJson(RecordNames.Export(record.RequestId), record);
    }

    private ExportRequestRecord IncomingRequest(string requestId)
    {
        var record = _store.GetJson<ExportRequestRecord>(RecordNames.Export(requestId));
        return record is { Incoming: true }
            ? record
            : throw new SafeMentorException(ClientErrorCodes.UnknownExportRequest, $"No export request {requestId} from a counterpart is on file.");
    }

    private static ExportRequestInfo ToInfo(ExportRequestRecord r) => new(
        r.RequestId, r.MentorshipId, r.ExporterAccountId, r.Incoming, r.Request.FromMs, r.Request.ToMs, r.Request.Purpose, r.Request.Recipient, r.Request.ExpiresMs, r.Status);

    private static bool IsText(string? value) => value is { Length: > 0 and <= MaxExportText } && !value.Any(char.IsControl);

    private static void RequireText(string value, string name)
    {
        if (!IsText(value))
        {
            throw new ArgumentException($"1 to {MaxExportText} printable characters.", name);
        }
    }
}
