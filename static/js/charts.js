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
  // An area's name on as many lines as it takes at about 16 characters each, so the radar's labels
  // need less width and the chart can be larger (on a phone especially).
  function wrap(label) {
    var lines = [], line = "";
    label.split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > 16) { lines.push(line); line = word; } else { line = line ? line + " " + word : word; }
    });
    return lines.concat(line ? [line] : []);
  }
  function draw() {
    if (typeof Chart === "undefined") { return; }
    var radar = read("radar-data");
    var radarCanvas = document.getElementById("radar-chart");
    if (radar && radarCanvas) {
      // On a phone the areas are numbered on the chart, with the numbered key below it (.radar-key).
      var narrow = window.matchMedia("(max-width: 31rem)").matches;
      radarCanvas.chart = new Chart(radarCanvas, {
        type: "radar",
        data: {
          labels: radar.labels.map(function (label, i) { return narrow ? String(i + 1) : wrap(label); }),
          datasets: colour(radar.datasets, true),
        },
        options: {
          animation: false,
          aspectRatio: narrow ? 1 : 1.25,
          plugins: {legend: {position: "bottom"}},
          scales: {r: {min: 0, max: 4, ticks: {stepSize: 1}, pointLabels: {font: {size: narrow ? 13 : 12}}}},
        },
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
