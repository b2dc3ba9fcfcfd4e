namespace SafeMentor.Server.Audit;

/// <summary>
/// What an audit entry records, before it is chained: the action, the programme ("" for server-wide), who acted,
/// on what, the settings before and after as compact JSON ("" when not applicable), and the accounts the body
/// names (so an erasure can withhold it). Made by <see cref="AuditRecords"/>.
/// </summary>
internal sealed record AuditRecord(string Action, string ProgrammeId, string Actor, string Target, string Before, string After, IReadOnlyList<string> Subjects);
