import{s as t}from"./common-DLZ71AfR.js";t();document.body.dataset.ready="true";
