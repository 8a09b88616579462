// Signs a PDF with PDFBox 2 (Debian's libpdfbox2-java) and BouncyCastle, as an incremental update.
// java -cp CLASSPATH SignPdfbox.java IN OUT P12 PASSWORD ALGORITHM(e.g. SHA256withRSA) [TSA_URL]
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.SignatureInterface;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.SignerInformationStore;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;

public class SignPdfbox implements SignatureInterface {
    private final PrivateKey key;
    private final Certificate[] chain;
    private final String algorithm;
    private final String tsa;

    SignPdfbox(PrivateKey key, Certificate[] chain, String algorithm, String tsa) {
        this.key = key;
        this.chain = chain;
        this.algorithm = algorithm;
        this.tsa = tsa;
    }

    @Override
    public byte[] sign(InputStream content) throws IOException {
        try {
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            ContentSigner signer = new JcaContentSignerBuilder(algorithm).build(key);
            generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                    new JcaDigestCalculatorProviderBuilder().build()).build(signer, (X509Certificate) chain[0]));
            generator.addCertificates(new JcaCertStore(Arrays.asList(chain)));
            CMSSignedData signed = generator.generate(new CMSProcessableByteArray(content.readAllBytes()), false);
            if (tsa != null) {
                signed = withTimestamp(signed);
            }
            return signed.getEncoded();
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private CMSSignedData withTimestamp(CMSSignedData signed) throws Exception {
        List<SignerInformation> stamped = new ArrayList<>();
        for (SignerInformation info : signed.getSignerInfos().getSigners()) {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(info.getSignature());
            TimeStampRequestGenerator request = new TimeStampRequestGenerator();
            request.setCertReq(true);
            TimeStampRequest query = request.generate(new ASN1ObjectIdentifier("2.16.840.1.101.3.4.2.1"), digest);
            HttpURLConnection connection = (HttpURLConnection) new URL(tsa).openConnection();
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", "application/timestamp-query");
            try (OutputStream out = connection.getOutputStream()) {
                out.write(query.getEncoded());
            }
            TimeStampResponse response = new TimeStampResponse(connection.getInputStream().readAllBytes());
            response.validate(query);
            ASN1EncodableVector attributes = new ASN1EncodableVector();
            attributes.add(new Attribute(PKCSObjectIdentifiers.id_aa_signatureTimeStampToken,
                    new DERSet(ASN1Primitive.fromByteArray(response.getTimeStampToken().getEncoded()))));
            stamped.add(SignerInformation.replaceUnsignedAttributes(info, new AttributeTable(attributes)));
        }
        return CMSSignedData.replaceSigners(signed, new SignerInformationStore(stamped));
    }

    public static void main(String[] args) throws Exception {
        Security.addProvider(new BouncyCastleProvider());
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(new FileInputStream(args[2]), args[3].toCharArray());
        String alias = store.aliases().nextElement();
        PrivateKey key = (PrivateKey) store.getKey(alias, args[3].toCharArray());
        Certificate[] chain = store.getCertificateChain(alias);
        try (PDDocument document = PDDocument.load(new File(args[0]))) {
            PDSignature signature = new PDSignature();
            signature.setFilter(PDSignature.FILTER_ADOBE_PPKLITE);
            signature.setSubFilter(PDSignature.SUBFILTER_ETSI_CADES_DETACHED);
            signature.setReason("Approvazione");
            signature.setLocation("Cremona");
            signature.setSignDate(Calendar.getInstance());
            document.addSignature(signature, new SignPdfbox(key, chain, args[4], args.length > 5 ? args[5] : null));
            try (FileOutputStream out = new FileOutputStream(args[1])) {
                document.saveIncremental(out);
            }
        }
    }
}
