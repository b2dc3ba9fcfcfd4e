namespace SafeMentor.Protocol.Keys;

/// <summary>What a freshly generated key is for; lets a deterministic <see cref="KeySource"/> hand out the right key.</summary>
public enum KeyPurpose
{
    /// <summary>The Ed25519 identity signing key, IKs.</summary>
    IdentitySigning,

    /// <summary>The X25519 identity DH key, IKd.</summary>
    IdentityDh,

    /// <summary>A signed prekey, SPK.</summary>
    SignedPrekey,

    /// <summary>A one-time prekey, OPK.</summary>
    OneTimePrekey,

    /// <summary>The X3DH ephemeral key, EK.</summary>
    Ephemeral,

    /// <summary>A Double Ratchet key drawn by GENERATE_DH.</summary>
    Ratchet,
}
