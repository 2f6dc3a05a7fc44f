package io.camber.s3.web;

import io.camber.meta.fs.Inode;
import io.camber.s3.multipart.Uploads.Part;
import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MultipartHandlerTest {
    private static final String A = "0cc175b9c0f1b6a831c399e269772661"; // md5("a")
    private static final String B = "92eb5ffee6ae2fec3ad71c777531578f"; // md5("b")

    private static Part part(int n, long size, String etag) {
        return new Part(n, new Inode(100 + n, 0100644, 0, 0, 1, size, 0, 0, 0, 0, 1, null, List.of()), etag);
    }

    @Test
    void theEtagIsTheMd5OfThePartsMd5sAndTheirCount() throws Exception {
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        md5.update(HexFormat.of().parseHex(A));
        md5.update(HexFormat.of().parseHex(B));
        assertThat(MultipartHandler.multipartEtag(List.of(A, B)))
                .isEqualTo(HexFormat.of().formatHex(md5.digest()) + "-2");
    }

    @Test
    void completeTakesTheNamedPartsInOrderAndRefusesWhatS3Refuses() {
        List<Part> stored = List.of(part(1, 5 << 20, A), part(2, 10, B), part(3, 5 << 20, A));
        assertThat(MultipartHandler.choose(List.of(new XmlRequests.CompletedPart(1, A),
                new XmlRequests.CompletedPart(3, A)), stored)).extracting(Part::number).containsExactly(1, 3);

        assertThatThrownBy(() -> MultipartHandler.choose(List.of(new XmlRequests.CompletedPart(3, A),
                new XmlRequests.CompletedPart(1, A)), stored)).isInstanceOfSatisfying(S3Exception.class,
                e -> assertThat(e.code()).isEqualTo("InvalidPartOrder"));
        assertThatThrownBy(() -> MultipartHandler.choose(List.of(new XmlRequests.CompletedPart(1, B)), stored))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.code()).isEqualTo("InvalidPart"));
        assertThatThrownBy(() -> MultipartHandler.choose(List.of(new XmlRequests.CompletedPart(4, A)), stored))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.code()).isEqualTo("InvalidPart"));
        assertThatThrownBy(() -> MultipartHandler.choose(List.of(new XmlRequests.CompletedPart(2, B),
                new XmlRequests.CompletedPart(3, A)), stored)).isInstanceOfSatisfying(S3Exception.class,
                e -> assertThat(e.code()).isEqualTo("EntityTooSmall"));
    }

    @Test
    void completeDocumentsParseWithQuotedEtagsAndMalformedOnesAreMalformedXml() {
        byte[] doc = ("<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>\"" + A + "\"</ETag></Part>"
                + "<Part><ETag>&quot;" + B + "&quot;</ETag><PartNumber>2</PartNumber></Part>"
                + "</CompleteMultipartUpload>").getBytes();
        assertThat(XmlRequests.complete(doc)).containsExactly(new XmlRequests.CompletedPart(1, A),
                new XmlRequests.CompletedPart(2, B));
        for (String bad : new String[] {"<CompleteMultipartUpload/>", "<x>", "<CompleteMultipartUpload><Part>"
                + "<PartNumber>one</PartNumber><ETag>a</ETag></Part></CompleteMultipartUpload>",
                "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><CompleteMultipartUpload><Part><PartNumber>1"
                        + "</PartNumber><ETag>&e;</ETag></Part></CompleteMultipartUpload>"}) {
            assertThatThrownBy(() -> XmlRequests.complete(bad.getBytes())).as(bad)
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.code()).isEqualTo("MalformedXML"));
        }
    }
}
