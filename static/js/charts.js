// Draws the results charts from JSON embedded by the page (json_script), so no inline script is needed.
(function () {
  var palette = ["#0b5cad", "#b35c00", "#116329", "#8250df"];
  function read(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }
  function colour(datasets, fill) {
    datasets.forEach(function (d, i) {
      d.borderColor = palette[i % palette.length];
      d.backgroundColor = fill ? palette[i % palette.length] + "22" : palette[i % palette.length];
      d.spanGaps = true;
    });
    return datasets;
  }
  function draw() {
    if (typeof Chart === "undefined") { return; }
    var radar = read("radar-data");
    var radarCanvas = document.getElementById("radar-chart");
    if (radar && radarCanvas) {
      radarCanvas.chart = new Chart(radarCanvas, {
        type: "radar",
        data: {labels: radar.labels, datasets: colour(radar.datasets, true)},
        options: {animation: false, scales: {r: {min: 0, max: 4, ticks: {stepSize: 1}}}},
      });
      radarCanvas.dataset.drawn = "true";
    }
    var history = read("history-data");
    var historyCanvas = document.getElementById("history-chart");
    if (history && historyCanvas) {
      historyCanvas.chart = new Chart(historyCanvas, {
        type: "line",
        data: {labels: history.labels, datasets: colour(history.datasets, false)},
        options: {animation: false, scales: {y: {min: 0, max: 100}}},
      });
      historyCanvas.dataset.drawn = "true";
    }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
