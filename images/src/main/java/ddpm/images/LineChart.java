package ddpm.images;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Line plots as PNG, drawn with Java2D: labelled axes with tick values, a title, a legend when there is more
 * than one series, and an optional logarithmic y axis (a loss spans decades). Series are drawn in order, so
 * put a noisy raw series first and its smoothed line on top.
 */
public final class LineChart {
  public static final int WIDTH = 800;
  public static final int HEIGHT = 500;
  private static final int LEFT = 80;
  private static final int RIGHT = 20;
  private static final int TOP = 40;
  private static final int BOTTOM = 60;
  private static final int TICKS = 5;
  private static final Color[] PALETTE = {
    new Color(0x9ecae1), new Color(0x08519c), new Color(0xe6550d), new Color(0x31a354)};

  private final String title;
  private final String xLabel;
  private final String yLabel;
  private final boolean logY;

  public LineChart(String title, String xLabel, String yLabel, boolean logY) {
    this.title = title;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
    this.logY = logY;
  }

  /** One line: points (x[i], y[i]); points whose y cannot be drawn (NaN, infinite, ≤ 0 on a log axis) are skipped. */
  public record Series(String name, double[] x, double[] y) {
    public Series {
      if (x.length != y.length) {
        throw new IllegalArgumentException("series " + name + ": " + x.length + " x values but " + y.length + " y");
      }
    }
  }

  public byte[] png(List<Series> series) {
    if (series.isEmpty()) {
      throw new IllegalArgumentException("a chart needs at least one series");
    }
    Range xRange = Range.of(series, true, false);
    Range yRange = Range.of(series, false, logY);
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, HEIGHT);
      drawAxes(g, xRange, yRange);
      for (int i = 0; i < series.size(); i++) {
        drawLine(g, series.get(i), xRange, yRange, PALETTE[i % PALETTE.length]);
      }
      if (series.size() > 1) {
        drawLegend(g, series);
      }
    } finally {
      g.dispose();
    }
    return Png.encode(image);
  }

  private int plotWidth() {
    return WIDTH - LEFT - RIGHT;
  }

  private int plotHeight() {
    return HEIGHT - TOP - BOTTOM;
  }

  private double px(double x, Range r) {
    return LEFT + r.fraction(x) * plotWidth();
  }

  private double py(double y, Range r) {
    return TOP + (1 - r.fraction(logY ? Math.log10(y) : y)) * plotHeight();
  }

  private void drawAxes(Graphics2D g, Range xRange, Range yRange) {
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    FontMetrics metrics = g.getFontMetrics();
    g.drawRect(LEFT, TOP, plotWidth(), plotHeight());
    for (double value : AxisTicks.linear(xRange.min(), xRange.max(), TICKS)) {
      int x = (int) Math.round(px(value, xRange));
      g.drawLine(x, TOP + plotHeight(), x, TOP + plotHeight() + 5);
      String label = AxisTicks.label(value);
      g.drawString(label, x - metrics.stringWidth(label) / 2, TOP + plotHeight() + 20);
    }
    List<Double> yTicks = logY ? AxisTicks.log(yRange.min(), yRange.max(), TICKS)
        : AxisTicks.linear(yRange.min(), yRange.max(), TICKS);
    for (double value : yTicks) {
      int y = (int) Math.round(py(value, yRange));
      g.drawLine(LEFT - 5, y, LEFT, y);
      String label = AxisTicks.label(value);
      g.drawString(label, LEFT - 8 - metrics.stringWidth(label), y + metrics.getAscent() / 2);
    }
    g.drawString(xLabel, LEFT + (plotWidth() - metrics.stringWidth(xLabel)) / 2, HEIGHT - 15);
    String yText = logY ? yLabel + " (log scale)" : yLabel;
    AffineTransform saved = g.getTransform();
    g.rotate(-Math.PI / 2);
    g.drawString(yText, -(TOP + (plotHeight() + metrics.stringWidth(yText)) / 2), 18);
    g.setTransform(saved);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.drawString(title, LEFT + (plotWidth() - g.getFontMetrics().stringWidth(title)) / 2, TOP - 14);
  }

  private void drawLine(Graphics2D g, Series s, Range xRange, Range yRange, Color color) {
    Path2D.Double path = new Path2D.Double();
    boolean drawing = false;
    for (int i = 0; i < s.x().length; i++) {
      if (!Range.drawable(s.y()[i], logY) || !Double.isFinite(s.x()[i])) {
        drawing = false;
        continue;
      }
      double x = px(s.x()[i], xRange);
      double y = py(s.y()[i], yRange);
      if (drawing) {
        path.lineTo(x, y);
      } else {
        path.moveTo(x, y);
        drawing = true;
      }
    }
    g.setColor(color);
    g.setStroke(new BasicStroke(1.5f));
    g.setClip(LEFT, TOP, plotWidth() + 1, plotHeight() + 1);
    g.draw(path);
    g.setClip(null);
  }

  private void drawLegend(Graphics2D g, List<Series> series) {
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    int lineHeight = g.getFontMetrics().getHeight();
    int x = LEFT + plotWidth() - 160;
    for (int i = 0; i < series.size(); i++) {
      int y = TOP + 15 + i * lineHeight;
      g.setColor(PALETTE[i % PALETTE.length]);
      g.fillRect(x, y - 8, 20, 4);
      g.setColor(Color.BLACK);
      g.drawString(series.get(i).name(), x + 28, y);
    }
  }

  /** The span of the drawable values on one axis (in log10 units for a log axis), never empty. */
  private record Range(double min, double max) {
    static boolean drawable(double y, boolean log) {
      return Double.isFinite(y) && (!log || y > 0);
    }

    static Range of(List<Series> series, boolean xAxis, boolean log) {
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      for (Series s : series) {
        double[] values = xAxis ? s.x() : s.y();
        for (double v : values) {
          if (drawable(v, log)) {
            double scaled = log ? Math.log10(v) : v;
            min = Math.min(min, scaled);
            max = Math.max(max, scaled);
          }
        }
      }
      if (min > max) {
        return new Range(0, 1);
      }
      if (min == max) {
        return new Range(min - 0.5, max + 0.5);
      }
      return new Range(min, max);
    }

    double fraction(double v) {
      return (v - min) / (max - min);
    }
  }
}
