package ddpm.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.Predicate;

/** One read of a Prometheus text endpoint, for asserting on its samples. */
public record MetricsScrape(String text) {
  /** GETs {@code url}, failing unless it answers 200. */
  public static MetricsScrape of(String url) throws IOException, InterruptedException {
    HttpResponse<String> response = HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new AssertionError("GET " + url + " answered " + response.statusCode() + ":\n" + response.body());
    }
    return new MetricsScrape(response.body());
  }

  /**
   * The value of one series, written as the text format writes it: the name, then the labels in name order
   * (a histogram bucket's {@code le} last), e.g.
   * {@code ddpm_grpc_server_requests_total{code="OK",method="GetSchedule",service="ddpm.v1.ScheduleService"}}.
   */
  public double value(String series) {
    return text.lines()
        .filter(line -> line.startsWith(series + " "))
        .map(line -> Double.parseDouble(line.substring(series.length() + 1).trim()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no sample " + series + " in:\n" + text));
  }

  /**
   * The sum over the series of metric {@code name} whose labels (the text between the braces) satisfy
   * {@code labels}; 0 when none does.
   */
  public double sum(String name, Predicate<String> labels) {
    return text.lines()
        .filter(line -> line.startsWith(name + "{"))
        .filter(line -> labels.test(line.substring(name.length() + 1, line.lastIndexOf('}'))))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf('}') + 1).trim()))
        .sum();
  }
}
