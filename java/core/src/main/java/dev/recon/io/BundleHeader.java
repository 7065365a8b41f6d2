package dev.recon.io;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recon.ReconException;
import dev.recon.model.Activation;
import dev.recon.model.AutoencoderSpec;
import dev.recon.model.DetectorKind;
import dev.recon.model.Init;
import dev.recon.model.KnnComponent;
import dev.recon.model.ParameterLayout;
import dev.recon.model.Vae;
import dev.recon.train.EpochStats;
import dev.recon.train.TrainConfig;
import dev.recon.train.TrainState;
import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The JSON header of a bundle file as one schema: Jackson writes these records and reads them
 * back, so the writer and the reader cannot disagree on a name, an order or a type. Reading is
 * strict (no coercion of strings to numbers, no fractions for integers, every component required
 * unless marked {@link MayBeNull}); what the values mean is checked by {@link BundleFormat}.
 * Field names are the snake_case of the component names.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record BundleHeader(String format, int formatVersion, String engineVersion, Architecture architecture,
                    Detector detector, List<String> features, @MayBeNull Label label, Scaler scaler,
                    Threshold threshold, Training training, Bundle.DataInfo data, List<Epoch> history,
                    @JsonSetter(nulls = Nulls.AS_EMPTY) Map<String, Object> metrics, List<ArrayEntry> arrays) {

    static final String FORMAT = "recon-bundle";

    /** A component the reader accepts missing or null; every other one is required. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.RECORD_COMPONENT)
    @interface MayBeNull {
    }

    /** The network; {@code vae} only for a variational autoencoder (absent from plain ones' files). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Architecture(int input, int[] hidden, int latent, String activation, String latentActivation,
                        String outputActivation, String loss, long parameters,
                        @MayBeNull @JsonInclude(JsonInclude.Include.NON_NULL) VaeSettings vae) {
    }

    /** A VAE's KL weight, its warm-up in epochs, and how it scores (recon or elbo, over samples draws). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record VaeSettings(double beta, int klWarmup, String score, int samples) {
    }

    /**
     * The detector's kind, and for ae-knn its settings; {@code score} states the formula for
     * people; {@code error} the loss a row's error is the mean of, where it is not the training loss.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Detector(String kind, @MayBeNull Integer k, @MayBeNull Integer referenceRows,
                           @MayBeNull Double aeScale, @MayBeNull Double knnScale, String score,
                           @MayBeNull String error) {
    }

    record Label(String column, String normal, String anomaly) {
    }

    record Scaler(String kind, double[] mean, double[] scale) {
    }

    record Threshold(double value, String policy, String rule) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Training(int epochs, int batch, float lr, int patience, long seed, String init, String optimizer,
                    float beta1, float beta2, float eps, int epochsDone, long steps, int bestEpoch,
                    double bestValLoss, int epochsWithoutGain,
                    @JsonSetter(nulls = Nulls.AS_EMPTY) String stopReason) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Epoch(int epoch, double trainLoss, double valLoss) {
    }

    record ArrayEntry(String name, long count) {
    }

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT, DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    private static final PropertyNamingStrategies.NamingBase SNAKE_CASE = new PropertyNamingStrategies.SnakeCaseStrategy();

    static Detector detector(Bundle b) {
        KnnComponent knn = b.knn();
        String error = b.error() == null ? null : b.error().id();
        if (knn == null) {
            return new Detector(b.detector().id(), null, null, null, null, "error", error);
        }
        return new Detector(b.detector().id(), knn.k(), knn.rows(), knn.aeScale(), knn.knnScale(),
                "error / ae_scale + distance^2 / knn_scale (distance: Euclidean, scaled, to the k-th nearest "
                        + "reference row)", error);
    }

    static BundleHeader of(Bundle b, List<ArrayEntry> arrays) {
        AutoencoderSpec spec = b.spec();
        Vae v = spec.vae();
        Architecture arch = new Architecture(spec.inputDim(), spec.hidden(), spec.latent(), spec.hiddenActivation().id(),
                Activation.IDENTITY.id(), spec.output().id(), spec.loss().id(), new ParameterLayout(spec).size(),
                v == null ? null : new VaeSettings(v.beta(), v.klWarmup(), v.score().id(), v.samples()));
        Label label = b.labels() == null ? null
                : new Label(b.labels().column(), b.labels().normalValue(), b.labels().anomalyValue());
        TrainConfig c = b.config();
        TrainState s = b.state();
        Training t = new Training(c.epochs(), c.batch(), c.lr(), c.patience(), c.seed(), c.init().id(), "adam",
                c.beta1(), c.beta2(), c.eps(), s.epochsDone(), s.steps(), s.bestEpoch(), s.bestValLoss(),
                s.epochsWithoutGain(), b.stopReason());
        List<Epoch> history = new ArrayList<>();
        for (EpochStats e : s.history()) {
            history.add(new Epoch(e.epoch(), e.trainLoss(), e.valLoss()));
        }
        return new BundleHeader(FORMAT, BundleFormat.VERSION, b.engineVersion(), arch, detector(b), b.featureNames(),
                label, new Scaler("standard", b.scaler().mean(), b.scaler().scale()),
                new Threshold(b.threshold(), b.policy().toString(), "anomaly when error >= value"), t, b.data(),
                history, b.metrics(), arrays);
    }

    byte[] bytes() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode bundle header", e);
        }
    }

    /**
     * Parses a header of format {@code version}. Version 1 lacked the detector and the training's
     * init, which were then always the plain autoencoder and He initialisation.
     */
    static BundleHeader parse(String name, byte[] bytes, int offset, int length, int version) {
        JsonNode tree;
        try {
            tree = JSON.readTree(bytes, offset, length);
        } catch (IOException e) {
            throw ReconException.input(name + ": corrupted model bundle (header is not JSON)");
        }
        if (!(tree instanceof ObjectNode root)) {
            throw ReconException.input(name + ": corrupted model bundle (header is not a JSON object)");
        }
        if (version == 1) {
            root.putObject("detector").put("kind", DetectorKind.AE.id()).put("score", "error");
            if (root.get("training") instanceof ObjectNode t) {
                t.put("init", Init.HE.id());
            }
        }
        BundleHeader h;
        try {
            h = JSON.treeToValue(root, BundleHeader.class);
        } catch (JsonMappingException e) {
            throw missingOrInvalid(name, e.getPath().stream().map(JsonMappingException.Reference::getFieldName)
                    .filter(f -> f != null).collect(Collectors.joining(".")));
        } catch (JsonParseException | IllegalArgumentException e) {
            throw ReconException.input(name + ": corrupted model bundle (header is not JSON)");
        } catch (JsonProcessingException e) {
            throw ReconException.input(name + ": corrupted model bundle (" + e.getOriginalMessage() + ")");
        }
        requireComplete(name, h, "");
        if (!FORMAT.equals(h.format)) {
            throw missingOrInvalid(name, "format");
        }
        return h;
    }

    static ReconException missingOrInvalid(String name, String field) {
        return ReconException.input(name + ": bundle field '" + field + "' is missing or invalid");
    }

    /** Refuses a null component not marked {@link MayBeNull}, in this record or those it holds. */
    private static void requireComplete(String name, Object value, String path) {
        if (value instanceof List<?> list) {
            for (Object o : list) {
                requireComplete(name, o, path);
            }
            return;
        }
        if (value == null || !value.getClass().isRecord()) {
            return;
        }
        for (RecordComponent rc : value.getClass().getRecordComponents()) {
            Object v;
            try {
                v = rc.getAccessor().invoke(value);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            String field = path + SNAKE_CASE.translate(rc.getName());
            if (v == null && !rc.isAnnotationPresent(MayBeNull.class)) {
                throw missingOrInvalid(name, field);
            }
            if (v instanceof List<?> list && list.contains(null) || v instanceof Object[] a && Arrays.asList(a).contains(null)) {
                throw missingOrInvalid(name, field);
            }
            requireComplete(name, v, field + ".");
        }
    }
}
