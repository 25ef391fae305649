import{s as t}from"./common-weSl6ZY2.js";t();document.body.dataset.ready="true";
