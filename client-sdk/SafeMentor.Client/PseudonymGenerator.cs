using System.Security.Cryptography;

namespace SafeMentor.Client;

/// <summary>Offers pseudonyms such as "Quiet Heron 42": nothing about the person, easy to say aloud.</summary>
public static class PseudonymGenerator
{
    private static readonly string[] s_adjectives =
    [
        "Quiet", "Bright", "Calm", "Brave", "Gentle", "Swift", "Patient", "Curious", "Steady", "Kind",
        "Clever", "Bold", "Merry", "Silver", "Amber", "Misty", "Sunny", "Wise", "Nimble", "Honest",
    ];

    private static readonly string[] s_animals =
    [
        "Heron", "Fox", "Otter", "Badger", "Wren", "Lynx", "Falcon", "Hare", "Robin", "Owl",
        "Seal", "Finch", "Marten", "Crane", "Beaver", "Swallow", "Kestrel", "Stoat", "Dove", "Puffin",
    ];

    /// <summary>A new random pseudonym.</summary>
    public static string Next()
        => $"{s_adjectives[RandomNumberGenerator.GetInt32(s_adjectives.Length)]} {s_animals[RandomNumberGenerator.GetInt32(s_animals.Length)]} {RandomNumberGenerator.GetInt32(10, 100)}";
}
