import{s as t}from"./common-BeEz7OlE.js";t();document.body.dataset.ready="true";
