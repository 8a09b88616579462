// Signs a PDF with iText 5 (Debian's libitext5-java), as an incremental update.
// java -cp CLASSPATH SignItext.java IN OUT P12 PASSWORD HASH VISIBLE(0|1) [TSA_URL]
import com.itextpdf.text.Rectangle;
import com.itextpdf.text.pdf.PdfReader;
import com.itextpdf.text.pdf.PdfSignatureAppearance;
import com.itextpdf.text.pdf.PdfStamper;
import com.itextpdf.text.pdf.security.BouncyCastleDigest;
import com.itextpdf.text.pdf.security.ExternalDigest;
import com.itextpdf.text.pdf.security.ExternalSignature;
import com.itextpdf.text.pdf.security.MakeSignature;
import com.itextpdf.text.pdf.security.PrivateKeySignature;
import com.itextpdf.text.pdf.security.TSAClient;
import com.itextpdf.text.pdf.security.TSAClientBouncyCastle;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Security;
import java.security.cert.Certificate;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

public class SignItext {
    public static void main(String[] args) throws Exception {
        BouncyCastleProvider provider = new BouncyCastleProvider();
        Security.addProvider(provider);
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(new FileInputStream(args[2]), args[3].toCharArray());
        String alias = store.aliases().nextElement();
        PrivateKey key = (PrivateKey) store.getKey(alias, args[3].toCharArray());
        Certificate[] chain = store.getCertificateChain(alias);
        PdfReader reader = new PdfReader(args[0]);
        PdfStamper stamper = PdfStamper.createSignature(reader, new FileOutputStream(args[1]), '\0', null, true);
        PdfSignatureAppearance appearance = stamper.getSignatureAppearance();
        appearance.setReason("Approvazione");
        appearance.setLocation("Cremona");
        if (args[5].equals("1")) {
            appearance.setVisibleSignature(new Rectangle(36, 36, 236, 96), 1, "FirmaIText");
        }
        ExternalSignature signature = new PrivateKeySignature(key, args[4], provider.getName());
        ExternalDigest digest = new BouncyCastleDigest();
        TSAClient tsa = args.length > 6 ? new TSAClientBouncyCastle(args[6]) : null;
        MakeSignature.signDetached(appearance, digest, signature, chain, null, null, tsa, 0,
                MakeSignature.CryptoStandard.CADES);
    }
}
