package dev.recon.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recon.Rng;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The byte parser gives exactly Double.parseDouble's value for every decimal spelling. */
class DecimalParserTest {
    private static double parse(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return DecimalParser.parse(b, 0, b.length);
    }

    @Test
    void agreesWithTheJdkOnRandomNumbers() {
        Rng rng = new Rng(1);
        for (int i = 0; i < 200_000; i++) {
            double v = rng.nextGaussian() * Math.pow(10, rng.nextInt(24) - 12);
            String s = switch (i % 4) {
                case 0 -> Double.toString(v);
                case 1 -> String.format(Locale.ROOT, "%.15g", v);
                case 2 -> String.format(Locale.ROOT, "%." + rng.nextInt(20) + "f", v);
                default -> String.format(Locale.ROOT, "%.6e", v);
            };
            assertEquals(Double.parseDouble(s), parse(s), s);
        }
    }

    @Test
    void longDigitRunsAgreeWherever8ByteWindowsFall() {
        Rng rng = new Rng(2);
        for (int i = 0; i < 200_000; i++) {
            StringBuilder sb = new StringBuilder(rng.nextInt(3) == 0 ? "-" : "");
            int whole = rng.nextInt(12);
            for (int j = 0; j < whole; j++) {
                sb.append((char) ('0' + rng.nextInt(10)));
            }
            if (whole == 0 || rng.nextInt(3) > 0) {
                sb.append('.');
                int frac = 1 + rng.nextInt(26);
                for (int j = 0; j < frac; j++) {
                    sb.append((char) ('0' + rng.nextInt(10)));
                }
            }
            if (rng.nextInt(4) == 0) {
                sb.append('e').append(rng.nextInt(40) - 20);
            }
            String s = sb.toString();
            // the text sits among other bytes, so that eight-byte windows reach past the field
            byte[] b = ("12345678" + s + "9,87654321").getBytes(StandardCharsets.ISO_8859_1);
            double want = Double.parseDouble(s);
            assertEquals(want, DecimalParser.parse(b, 8, 8 + s.length()), s);
            assertEquals(want, parse(s), s);
        }
    }

    @Test
    void plainSpellings() {
        assertEquals(0.0, parse("0"));
        assertEquals(-0.0, parse("-0"));
        assertEquals(149.62, parse("149.62"));
        assertEquals(5.0, parse("+5."));
        assertEquals(0.5, parse(".5"));
        assertEquals(1e-300, parse("1e-300"));
        assertEquals(1.2345678901234567e20, parse("123456789012345678901"), 1e5);
        assertEquals(Double.parseDouble("0.12345678901234567890123"), parse("0.12345678901234567890123"));
    }

    @Test
    void rejectsWhatIsNotADecimal() {
        for (String s : new String[] {"", "-", ".", "e5", "1e", "1e+", "abc", "1.2.3", "1,5", "0x10", "NaN", "Infinity",
            "1d", "1 2", "--1"}) {
            assertTrue(Double.isNaN(parse(s)), s);
        }
    }
}
