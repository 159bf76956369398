package io.pgrunbooks.activities.crypto;

import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPEncryptedData;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPSessionKey;
import org.bouncycastle.openpgp.operator.PBEDataDecryptorFactory;
import org.bouncycastle.openpgp.operator.SessionKeyDataDecryptorFactory;
import org.bouncycastle.openpgp.operator.bc.BcPBEDataDecryptorFactory;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcSessionKeyDataDecryptorFactory;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPDigestCalculatorProviderBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcePBEDataDecryptorFactoryBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JceSessionKeyDataDecryptorFactoryBuilder;

/**
 * Which implementation decrypts the bulk of an OpenPGP message. Bouncy Castle's own CFB mode runs
 * at about 50 MB/s; the JDK's AES/CFB and SHA-1 (CPU intrinsics) are an order of magnitude faster,
 * so they take every AES message with an MDC, which is what gpg writes. Everything else (CAST5,
 * Twofish, Camellia, AEAD/OCB, public-key session keys) stays with Bouncy Castle, which reads it all.
 */
final class OpenPgpOperators {
  private OpenPgpOperators() {}

  static boolean jdkDecrypts(PGPEncryptedData data, int symmetricAlgorithm) {
    boolean aes =
        symmetricAlgorithm == SymmetricKeyAlgorithmTags.AES_128
            || symmetricAlgorithm == SymmetricKeyAlgorithmTags.AES_192
            || symmetricAlgorithm == SymmetricKeyAlgorithmTags.AES_256;
    return aes && data.isIntegrityProtected() && !data.isAEAD();
  }

  static PBEDataDecryptorFactory passphrase(char[] passphrase, boolean jdk) throws PGPException {
    return jdk
        ? new JcePBEDataDecryptorFactoryBuilder(new JcaPGPDigestCalculatorProviderBuilder().build()).build(passphrase)
        : new BcPBEDataDecryptorFactory(passphrase, new BcPGPDigestCalculatorProvider());
  }

  static SessionKeyDataDecryptorFactory sessionKey(PGPSessionKey sessionKey, boolean jdk) {
    return jdk
        ? new JceSessionKeyDataDecryptorFactoryBuilder().build(sessionKey)
        : new BcSessionKeyDataDecryptorFactory(sessionKey);
  }
}
