// Click-to-load player: nothing is requested from the video host before the click.
(function () {
  "use strict";
  var launch = document.querySelector(".player-launch");
  if (!launch) { return; }

  function frame(url, provider) {
    var iframe = document.createElement("iframe");
    iframe.src = url + (url.indexOf("?") === -1 ? "?" : "&") + "autoplay=1";
    iframe.title = launch.dataset.title;
    iframe.allow = "autoplay; fullscreen; picture-in-picture; encrypted-media";
    iframe.allowFullscreen = true;
    // YouTube refuses to play without a referrer.
    iframe.referrerPolicy = "strict-origin-when-cross-origin";
    iframe.className = "player-frame player-" + provider;
    return iframe;
  }

  function failed(container) {
    var p = document.createElement("p");
    p.className = "player-error";
    p.textContent = launch.dataset.textError;
    container.appendChild(p);
  }

  function hls(container, url) {
    var video = document.createElement("video");
    video.controls = true;
    video.className = "player-frame";
    container.appendChild(video);
    if (video.canPlayType("application/vnd.apple.mpegurl")) {
      video.src = url;
      video.play().catch(function () {});
      return;
    }
    var script = document.createElement("script");
    script.src = launch.dataset.hlsScript;
    script.onload = function () {
      if (!window.Hls || !window.Hls.isSupported()) { failed(container); return; }
      var player = new window.Hls();
      player.on(window.Hls.Events.ERROR, function (_e, data) {
        if (data.fatal) { failed(container); }
      });
      player.loadSource(url);
      player.attachMedia(video);
      video.play().catch(function () {});
    };
    document.head.appendChild(script);
  }

  launch.addEventListener("click", function (event) {
    event.preventDefault();
    var container = document.createElement("div");
    container.className = "player-container";
    launch.replaceWith(container);
    if (launch.dataset.provider === "hls") {
      hls(container, launch.dataset.embed);
    } else {
      container.appendChild(frame(launch.dataset.embed, launch.dataset.provider));
    }
  });
})();
