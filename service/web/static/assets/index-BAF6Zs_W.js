import{s as t}from"./common-EVdDqKJo.js";t();document.body.dataset.ready="true";
