namespace SafeMentor.Server.Storage;

/// <summary>Collections of the compliance views.</summary>
internal static partial class Collections
{
    /// <summary>Unused compliance-page sign-in links (hashes of their tokens).</summary>
    public const string PageLinks = "page_links";
}
