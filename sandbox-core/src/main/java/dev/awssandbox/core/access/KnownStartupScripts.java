package dev.awssandbox.core.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * Shell start-up scripts of other projects known here by the SHA-256 of their exact text: read as what that release does
 * at start-up, not as text. Only nvm's {@code nvm.sh} and its completion script so far: nvm.sh's 5,000 lines of functions (help texts, {@code node
 * app.js} in usage lines, a directory changed to and printed in a way the reader does not follow) had withheld the
 * working directory of every developer with nvm. Each listed release was read here (docs/decisions/start-up-file-reading.md,
 * decision 17): it sources no file but {@code /etc/os-release} and its own text on standard input, runs nothing from
 * where the shell starts, and at start-up puts {@code $NVM_DIR/versions/…/bin} on {@code PATH} and reads {@code .nvmrc}
 * (a version's name) upward from where the shell starts. A copy changed by one byte is read as any other file.
 */
final class KnownStartupScripts {

    private KnownStartupScripts() {
    }

    /**
     * nvm's {@code nvm.sh} and {@code bash_completion} at each release tag v0.33.0–v0.40.6 of github.com/nvm-sh/nvm
     * ({@code git show TAG:nvm.sh}); the completion script only defines functions and, in zsh, runs compinit.
     */
    private static final Map<String, String> NVM_RELEASES = Map.ofEntries(
            Map.entry("40208b5d10788c257fa4bf7619f4fde57476c75d3e99e17b1cd9b9f413d11a39", "nvm v0.33.0"),
            Map.entry("59d4f6a0ca127dd4f52af8d04761d82a7b4077755e5e9ee77b0465810e70b77a", "nvm v0.33.1"),
            Map.entry("77a6da997af26a52fc0647dee849d90d5f36f9222c6d48a5f738672cb850c2d0", "nvm v0.33.2"),
            Map.entry("5847307bed44b3df1c217454a839071c1246d9b8f6d1fbcbb43849cedb411512", "nvm v0.33.3"),
            Map.entry("ca5ccf621a66c556e8a8fbfe9e02fcbfabbb0623a820c28c8064a3673b6f0b95", "nvm v0.33.4"),
            Map.entry("f3420760c4b17f567febb6ed71ef8da21a30d742a7989fda24bd3d2388e920be", "nvm v0.33.5"),
            Map.entry("8b76473070da818580e2c4c7dc2148f4958d959e6ef26c37a8760b4f2099eb80", "nvm v0.33.6"),
            Map.entry("9ea8a0ccd2e10bbaf770c300240585f24747cf761973c6f261f907b08adf5e8c", "nvm v0.33.7"),
            Map.entry("5142e0227e74e88145d97b5018fa866075582c207e1f56b6a3c2e1ddddcc8616", "nvm v0.33.8"),
            Map.entry("4171ff7f65a69e88c076a6252915dcf0d83b34eb028fb6729f01d4f7a7627951", "nvm v0.33.9"),
            Map.entry("ee57c1c8e977bb1b372521bd50509bb13ed455099ab25948564631b81dc4d116", "nvm v0.33.10"),
            Map.entry("df96ccadf6252acc8b461e98a3d25ccab2cf32edc7879dffd71d966c7e8903f1", "nvm v0.33.11"),
            Map.entry("709fc0a17bfdbd7e03e4ebf59942e1cc50a8ac53b439ff5f5a25ed5325657a47", "nvm v0.34.0"),
            Map.entry("864cd253614d13bbe3373101303bb4b97578256120c093e7cf5b3a17f7345fc8", "nvm v0.35.0"),
            Map.entry("f78c679bb834b9e4653fd0fcae6b590c99fea7590cda24b6c7756b706b0eafbc", "nvm v0.35.1"),
            Map.entry("e67f17d13c9f88b9487c0d5106376337adf19608b7ddc87f3ea92e13242baa50", "nvm v0.35.2"),
            Map.entry("61d84746720aec30f4d746d2c34323967b9296f756eccab8b6a8d334e988e3be", "nvm v0.35.3"),
            Map.entry("780e0bf0792c6a616c85d4b502a3f86da0a37110c6b60fb1a06dd3b3ce92ba1d", "nvm v0.36.0"),
            Map.entry("79f2f14b8191649fe1e1039f5bb2c0a1f0647d1529b333df0f3ffbc3d753d21e", "nvm v0.37.0"),
            Map.entry("b63d8ac5eee6291e37b0a45f5e273f4110e12a24ec6d1818ada2a320a1be5fde", "nvm v0.37.1"),
            Map.entry("a1d7e5ce198bddc594b1e3f15d7c832cd820b60bbb5bc1b4f258dcb7de3ad782", "nvm v0.37.2"),
            Map.entry("0d3c8989afc734bfe2ff107c86db22ba5abc5981b39e488fc20bc51925819b29", "nvm v0.38.0"),
            Map.entry("33501ecb51fc57f5734c67a4694be008e6f8bd391d065d18b8c08bf9fbd35234", "nvm v0.39.0"),
            Map.entry("265c9dab8cb08fbafd0198403136fd6e53b42b2a30b2ad79bf3a43109ddf4c5a", "nvm v0.39.1"),
            Map.entry("714b01c0e57dece33cce837b72ef2b66fe5d232b0b4b80589e952519ffee7161", "nvm v0.39.2"),
            Map.entry("0d4334a3dcad6a504a5cbe63b6f25e3089ac0cebf7c1cbdae64703c4a87df52c", "nvm v0.39.3"),
            Map.entry("06b7c52480a9c253a8d6664ddda2f1f38a3335fa8e858a1bac0f007bc31933c1", "nvm v0.39.4"),
            Map.entry("a2b68539bed5297056bf3b6602933935021755d6382dc9b8439005986e06cd33", "nvm v0.39.5"),
            Map.entry("3b89a74a02c60934a6bdda679c6c01b29ba935c4a1d4d39bbeccc4fe1e9cf23f", "nvm v0.39.6"),
            Map.entry("a42d1695e0ca1861e41083937129e6eb9402404f817ac1e352b74287c44449c1", "nvm v0.39.7"),
            Map.entry("a72c3acdb72e48d16b9150f72a527b64c7a71a27eacfa1c72204a7a316e58cbb", "nvm v0.40.0"),
            Map.entry("dc84afb1ded75cccdb1a62b35d99ecbbc0c8653eb70224cd3c1c01c171340ddf", "nvm v0.40.1"),
            Map.entry("9290aec6cc2efc89273e16a77214eb37303caaff8c943102de5116fdef47ba86", "nvm v0.40.2"),
            Map.entry("390260ab9eb1da20e8bc0ebea2ee90f528d53e5e9f6e13b16717db4af454df9d", "nvm v0.40.3"),
            Map.entry("7bb0324a92b1b7a3d612a00fd361f0daa78960cb4d404e7e42acf76eb53f6850", "nvm v0.40.4"),
            Map.entry("cd6f374433a22ec01919a834cf59d03e0ba07c226bed460a50ef5eecc38c39ef", "nvm v0.40.5"),
            Map.entry("baad94563757afa5147950e3dfa272f06b6307e1a7d92c553f8438959b5165fe", "nvm v0.40.6"),
            Map.entry("9488e52d456d18e978051fb279d5b9ca10c9971fe93d9804718ccda3df949001", "nvm's bash_completion v0.33.0–v0.33.1"),
            Map.entry("459946ddf1be56c20c9a7c50c174251b861837f01a418fa2756f367153379f4b", "nvm's bash_completion v0.33.2"),
            Map.entry("88bd4a104edf1cf6774084670a9a36d26cddedc5f3e3dcea5a98a0e394ca0177", "nvm's bash_completion v0.33.3–v0.33.8"),
            Map.entry("a76ae289924db0e43a9a06191217243082297f288b7593fd8aeecd8dfd5398cb", "nvm's bash_completion v0.33.9–v0.33.11"),
            Map.entry("f8c1357c8a60ec2c6ae66446068561b61266eb9a657e417a294327836ed18493", "nvm's bash_completion v0.34.0–v0.37.2"),
            Map.entry("64f042e8ba4de836251f580f1fadc32ec5856016465f8426f36e43865af946f2", "nvm's bash_completion v0.38.0"),
            Map.entry("b7eb3bf03d59b61e451957b020640aa55fe8bf47fb39d85d244e259f445d2fbe", "nvm's bash_completion v0.39.0–v0.40.6"));

    /** The release {@code text} is, as {@code "nvm v0.40.6"}, or empty for any other text. */
    static Optional<String> nvmRelease(String text) {
        if (!text.contains("nvm_process_parameters") && !text.contains("-F __nvm nvm")) {
            return Optional.empty(); // spares hashing every start-up file
        }
        return Optional.ofNullable(NVM_RELEASES.get(sha256(text)));
    }

    private static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
