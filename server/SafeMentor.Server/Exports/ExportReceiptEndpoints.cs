using System.Security.Cryptography;
using SafeMentor.Contracts;
using SafeMentor.Protocol.Statements;
using SafeMentor.Server.Accounts;
using SafeMentor.Server.Hosting;
using SafeMentor.Server.Mentorships;

namespace SafeMentor.Server.Exports;

/// <summary>
/// Receipts for export records. The exporter files the export-record statement (hashes and signatures); the server
/// checks that the counterpart's export consent verifies, names the caller, covers the range and had not expired, and
/// that the current ground rules allow export, then keeps the receipt. It never receives the record's content.
/// </summary>
internal static partial class ExportReceiptEndpoints
{
    private const int MaxTextLength = 200;

    // A record may be dated at most this far ahead of the server's clock.
    private static readonly TimeSpan s_maxClockSkew = TimeSpan.FromMinutes(5);

    public static IEndpointRouteBuilder MapExportReceiptEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(Routes.ExportReceipts, File).WithName("FileExportReceipt").Answers<ExportReceiptDto>(201, 400, 401, 403, 404, 409);
        app.MapGet(Routes.ExportReceipts, List).WithName("ListExportReceipts").Answers<List<ExportReceiptDto>>(200, 401, 403, 404);
        return app;
    }

    private static IResult List(string mentorshipId, HttpContext context, MentorshipService mentorships, ExportReceiptStore receipts)
    {
        var state = mentorships.StateOf(mentorshipId);
        if (state is null)
        {
            return Problems.Of(ErrorCodes.NotFound, "No such mentorship.");
        }

        return state.IsParty(context.User.AccountId())
            ? Results.Ok(receipts.OfMentorship(mentorshipId).Select(ExportReceiptStore.ToDto).ToList())
            : Problems.Of(ErrorCodes.NotAParty, "Only the parties of a mentorship may read its export receipts.");
    }

    private static async Task<IResult> File(
        string mentorshipId,
        ExportReceiptRequest request,
        HttpContext context,
        MentorshipService mentorships,
        ProgrammeStore programmes,
        AccountStore accounts,
        ExportReceiptStore receipts,
        TimeProvider time,
        ILogger<ExportReceiptStore> logger)
    {
        var caller = context.User.AccountId();
        var state = mentorships.StateOf(mentorshipId);
        if (state is null)
        {
            return Problems.Of(ErrorCodes.NotFound, "No such mentorship.");
        }

        if (state.CounterpartOf(caller) is not { } counterpart)
        {
            return Problems.Of(ErrorCodes.NotAParty, "Only a party of the mentorship may file an export receipt.");
        }

        var now = time.GetUtcNow();
        if (Decode(request, now) is not { } fields)
        {
            return Problems.Of(ErrorCodes.Malformed, "Expected base64 32-byte hashes and 64-byte signatures, ranges that do not end before they start, times that are not negative nor more than 5 minutes ahead of the server, and a purpose and recipient of 1 to 200 characters.");
        }

        var consent = request.ExportConsent;
        var rules = programmes.Current(programmes.Find(state.Mentorship.ProgrammeId)!);
        if (!rules.ExportAllowed)
        {
            return Problems.Of(ErrorCodes.ExportNotAllowed, "The mentorship's current ground rules do not allow export.");
        }

        if (!CryptographicOperations.FixedTimeEquals(fields.GroundRulesHash, rules.Hash))
        {
            return Problems.Of(ErrorCodes.GroundRulesMismatch, "The record must name the mentorship's current ground rules.");
        }

        // The consent must be the counterpart's, for this mentorship and for the caller as exporter.
        var consentStatement = new ExportConsentStatement(
            mentorshipId, caller, consent.FromMs, consent.ToMs, consent.Purpose, consent.Recipient, consent.ExpiresMs, consent.TimestampMs);
        if (!StatementSigner.Verify(accounts.Find(counterpart)!.SigningKey, consentStatement, fields.ConsentSignature))
        {
            return Problems.Of(ErrorCodes.InvalidSignature, "The export consent does not verify with the counterpart's registered identity key for this mentorship and exporter.");
        }

        var record = new ExportRecordStatement(
            mentorshipId,
            caller,
            counterpart,
            fields.GroundRulesHash,
            fields.ExporterConsentSignature,
            fields.CounterpartConsentSignature,
            request.FromMs,
            request.ToMs,
            fields.ConsentSignature,
            request.MessageCount,
            fields.ContentHash,
            request.CreatedAtMs);
        var recordHash = record.RecordHash();
        if (!CryptographicOperations.FixedTimeEquals(recordHash, fields.RecordHash))
        {
            return Problems.Of(ErrorCodes.Malformed, "The record hash is not SHA-256 of the export-record statement built from these fields.");
        }

        if (!StatementSigner.Verify(accounts.Find(caller)!.SigningKey, record, fields.RecordSignature))
        {
            return Problems.Of(ErrorCodes.InvalidSignature, "The export record's signature does not verify with the caller's registered identity key.");
        }

        if (consent.ExpiresMs <= now.ToUnixTimeMilliseconds() || request.CreatedAtMs > consent.ExpiresMs)
        {
            return Problems.Of(ErrorCodes.ExportConsentExpired, "The export consent has expired (or expired before the record was made).");
        }

        if (request.FromMs < consent.FromMs || request.ToMs > consent.ToMs)
        {
            return Problems.Of(ErrorCodes.ExportOutOfRange, "The exported range is not inside the range the export consent covers.");
        }

        var document = new ExportReceiptDocument
        {
            Id = Convert.ToHexStringLower(recordHash),
            MentorshipId = mentorshipId,
            ExporterId = caller,
            CounterpartId = counterpart,
            GroundRulesHash = fields.GroundRulesHash,
            ExporterConsentSignature = fields.ExporterConsentSignature,
            CounterpartConsentSignature = fields.CounterpartConsentSignature,
            FromMs = request.FromMs,
            ToMs = request.ToMs,
            MessageCount = request.MessageCount,
            ContentHash = fields.ContentHash,
            CreatedAtMs = request.CreatedAtMs,
            ConsentFromMs = consent.FromMs,
            ConsentToMs = consent.ToMs,
            Purpose = consent.Purpose,
            Recipient = consent.Recipient,
            ConsentExpiresMs = consent.ExpiresMs,
            ConsentTimestampMs = consent.TimestampMs,
            ConsentSignature = fields.ConsentSignature,
            RecordSignature = fields.RecordSignature,
            ReceivedAt = now.UtcDateTime,
        };
        if (await receipts.TryInsertAsync(document, state.Mentorship.ProgrammeId).ConfigureAwait(false) is { } earlier)
        {
            // The record hash covers every field, so the same hash is the same receipt: answer as before.
            return Results.Ok(ExportReceiptStore.ToDto(earlier));
        }

        LogFiled(logger, mentorshipId, request.MessageCount);
        return Results.Created((string?)null, ExportReceiptStore.ToDto(document));
    }

    private static DecodedFields? Decode(ExportReceiptRequest request, DateTimeOffset now)
    {
        var consent = request.ExportConsent;
        var latest = (now + s_maxClockSkew).ToUnixTimeMilliseconds();
        if (consent is null
            || request.FromMs < 0 || request.ToMs < request.FromMs || request.CreatedAtMs < 0 || request.CreatedAtMs > latest
            || consent.FromMs < 0 || consent.ToMs < consent.FromMs || consent.ExpiresMs < 0
            || consent.TimestampMs < 0 || consent.TimestampMs > latest
            || !IsText(consent.Purpose) || !IsText(consent.Recipient)
            || !Base64Field.TryDecode(request.RecordHash, Limits.HashBytes, out var recordHash)
            || !Base64Field.TryDecode(request.GroundRulesHash, Limits.HashBytes, out var groundRulesHash)
            || !Base64Field.TryDecode(request.ContentHash, Limits.HashBytes, out var contentHash)
            || !Base64Field.TryDecode(request.ExporterConsentSignature, Limits.SignatureBytes, out var exporterConsent)
            || !Base64Field.TryDecode(request.CounterpartConsentSignature, Limits.SignatureBytes, out var counterpartConsent)
            || !Base64Field.TryDecode(request.Signature, Limits.SignatureBytes, out var recordSignature)
            || !Base64Field.TryDecode(consent.Signature, Limits.SignatureBytes, out var consentSignature))
        {
            return null;
        }

        return new DecodedFields(recordHash, groundRulesHash, contentHash, exporterConsent, counterpartConsent, recordSignature, consentSignature);
    }

    private static bool IsText(string? value) => value is { Length: > 0 and <= MaxTextLength } && !value.Any(char.IsControl);

    private sealed record DecodedFields(
        byte[] RecordHash,
        byte[] GroundRulesHash,
        byte[] ContentHash,
        byte[] ExporterConsentSignature,
        byte[] CounterpartConsentSignature,
        byte[] RecordSignature,
        byte[] ConsentSignature);

    [LoggerMessage(Level = LogLevel.Information, Message = "Export receipt filed for mentorship {MentorshipId}: {MessageCount} messages")]
    private static partial void LogFiled(ILogger logger, string mentorshipId, long messageCount);
}
