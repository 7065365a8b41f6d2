package dev.recon.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's charts, drawn by XChart and embedded as base64 PNG at twice their displayed size,
 * so that they stay sharp on high-resolution screens and when zoomed.
 */
final class Charts {
    static final int WIDTH = 760;
    static final int HEIGHT = 400;
    static final Color NORMAL = new Color(0x2b6cb0);
    static final Color ANOMALY = new Color(0xd1495b);
    static final Color BASELINE = new Color(0x718096);

    private Charts() {
    }

    static XYChart chart(String title, String x, String y) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(x).yAxisTitle(y).build();
        Styler s = c.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setLegendPosition(Styler.LegendPosition.InsideNE);
        s.setAntiAlias(true);
        c.getStyler().setMarkerSize(4);
        // ticks at least this many pixels apart: readable labels for any epoch count or range
        c.getStyler().setXAxisTickMarkSpacingHint(90);
        return c;
    }

    /** The colour with this alpha (0 transparent, 255 opaque): overlapping series stay visible. */
    static Color translucent(Color c, int alpha) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), alpha);
    }

    /** A histogram as steps over bins, filled translucently so that two classes can overlap. */
    static XYSeries steps(XYChart c, String name, double[] x, double[] y, Color color) {
        XYSeries s = c.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.StepArea);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(color);
        s.setFillColor(translucent(color, 0x50));
        s.setLineStyle(new BasicStroke(1.5f));
        return s;
    }

    static XYSeries line(XYChart c, String name, double[] x, double[] y, Color color) {
        XYSeries s = c.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(color);
        s.setLineStyle(new BasicStroke(2f));
        return s;
    }

    static XYSeries points(XYChart c, String name, double[] x, double[] y, Color color) {
        XYSeries s = c.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setMarkerColor(color);
        return s;
    }

    /** One marked point (a threshold on a curve), drawn larger than the curve's points. */
    static XYSeries mark(XYChart c, String name, double x, double y, Color color, org.knowm.xchart.style.markers.Marker m) {
        XYSeries s = points(c, name, new double[] {x}, new double[] {y}, color);
        s.setMarker(m);
        return s;
    }

    /** The chart as a data: URI for an img tag. */
    static String png(XYChart c) {
        BufferedImage img = new BufferedImage(2 * WIDTH, 2 * HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.scale(2, 2);
        c.paint(g, WIDTH, HEIGHT);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new IllegalStateException("cannot draw chart " + c.getTitle(), e);
        }
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(out.toByteArray());
    }
}
