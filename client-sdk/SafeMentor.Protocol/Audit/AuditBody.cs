namespace SafeMentor.Protocol.Audit;

/// <summary>
/// What an audit entry says beyond its action: who acted, on what, in which programme, and the settings before and
/// after (compact JSON written by the server, hashed exactly as given; empty when not applicable). Never content,
/// keys or pseudonyms. <see cref="ProgrammeId"/> is empty for server-wide entries (sweeps, erasures).
/// </summary>
public sealed record AuditBody(string ProgrammeId, string Actor, string Target, string Before, string After)
{
    /// <summary><c>bodyHash</c> of this body.</summary>
    public byte[] ComputeHash() => AuditHashing.BodyHash(this);
}
